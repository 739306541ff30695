import Foundation
import Reasoning
import Session
import Testing
import Transformer

/// The live path in one process, as the demo runs it: a real clock, the user's words released by
/// the runner's loop at their times, the loop on an engine queue, and typed
/// interjections and `n` (cancel) from another thread. `scripts/tsan.sh` runs these under
/// ThreadSanitizer; here they check that the run hears, answers and stops.
@Suite(.serialized) struct LiveRunTests {
  /// Its own engine: a `Model` serves one thread at a time, and other suites may run meanwhile.
  nonisolated(unsafe) static var cached: Engine?
  static func engine() throws -> Engine {
    if let e = cached { return e }
    let e = try Model135.load()
    cached = e
    return e
  }

  func runner(_ e: Engine, _ s: PolicyOptions.Strategy) -> ScenarioRunner {
    var o = PolicyOptions()
    o.strategy = s
    o.answerBudget = 8
    o.thoughtBudget = 8
    o.speakAfter = 4
    o.maxThoughts = 16
    let session = ReasoningSession(engine: e, prompts: .instruct, options: o, clock: RealClock(), wordsPerMinute: 6000)
    let r = ScenarioRunner(session: session)
    r.tail = 0.2
    return r
  }

  /// Runs `body` on a serial queue of its own (the demo's engine queue) and waits for it.
  func onEngineQueue(_ body: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      DispatchQueue(label: "test.engine").async {
        body()
        done.resume()
      }
    }
  }

  @Test("a live run hears the words at their times and an interjection typed on another thread, and ends")
  func wordsAndTypedInterjection() async throws {
    let r = runner(try Self.engine(), .async)
    let user = words("What is two plus three?", start: 0.05, gap: 0.05)
    let runner = r
    // the typed line arrives from another thread while the engine answers (the run keeps
    // listening `tail` seconds after the answer, so it is always taken)
    r.onEvent = { e in
      if e.event == .endOfUtterance { Thread.detachNewThread { runner.interject("and then times two") } }
    }
    await onEngineQueue { runner.run(user) }
    let heard = r.events.filter { if case .heard = $0.event { return true } else { return false } }
    #expect(heard.count >= 5)
    #expect(r.events.contains { $0.event == .interjection("and then times two") } || heard.count > 5)
    #expect(r.events.contains { if case .finished = $0.event { return true } else { return false } })
  }

  @Test("`n` (cancel from the UI thread) ends an open live conversation")
  func cancelFromAnotherThread() async throws {
    let r = runner(try Self.engine(), .nothink)
    r.keepListening = true  // waits for typed questions: never ends by itself
    let runner = r
    // once the answer is finished, `n` is pressed on another thread while the loop waits
    r.onEvent = { e in
      guard case .finished = e.event else { return }
      Thread.detachNewThread {
        usleep(300_000)
        runner.cancel()
      }
    }
    let user = words("Name a colour.", start: 0.05, gap: 0.05)
    await onEngineQueue { runner.run(user) }
    #expect(r.isCancelled)
    #expect(r.events.contains { if case .finished = $0.event { return true } else { return false } })
  }
}
