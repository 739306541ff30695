import App
import Foundation
import Reasoning
import Session
import Testing
import Transformer

/// The live path on a clock the test moves by hand: the engine runs on its own thread as in the
/// demo, the test types from another, and every event happens at an instant the test chose. No
/// sleeps, no wall-clock bounds.
@Suite(.serialized) struct LivePathTests {
  static let modelPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Assets/SmolLM2-135M-Instruct.Q4_1.gguf").path
  nonisolated(unsafe) static var cached: Engine?
  static func engine() throws -> Engine {
    if let e = cached { return e }
    guard FileManager.default.fileExists(atPath: modelPath) else { throw CancellationError() }
    let e = try Engine(path: modelPath, threads: 2)
    cached = e
    return e
  }

  static func session(_ e: Engine, _ clock: SessionClock) -> ReasoningSession {
    var o = PolicyOptions()
    o.strategy = .nothink
    o.answerBudget = 12
    return ReasoningSession(engine: e, prompts: .instruct, options: o, clock: clock)
  }

  static func words(_ text: String, from start: Double) -> [TimedEvent] {
    let w = text.split(separator: " ").enumerated().map {
      TimedEvent(t: start + 0.3 * Double($0.offset), event: .heard(String($0.element)))
    }
    return w + [TimedEvent(t: start + 0.3 * Double(w.count), event: .endOfUtterance)]
  }

  /// A scenario run by `ScenarioRunner` on another thread, driven to its end: at each wait the
  /// test moves the clock to the instant waited for; at the first wait after `typeAfter` it types.
  static func drive(typeAfter: Double, text: String) throws -> (events: [TimedEvent], typedAt: Double) {
    let e = try engine()
    let clock = ManualClock()
    let runner = ScenarioRunner(session: session(e, clock))
    let user = words("What is the capital of France?", from: 0.5)
    let done = DispatchGroup()
    done.enter()
    Thread {
      runner.run(user)
      clock.stop()
      done.leave()
    }.start()
    var typedAt: Double?
    while let t = clock.untilIdle() {
      if typedAt == nil && clock.now >= typeAfter {
        typedAt = clock.now
        runner.interject(text)  // from the test's thread, while the engine waits
        continue
      }
      clock.advance(to: t)
    }
    done.wait()
    return (runner.events, typedAt ?? -1)
  }

  @Test("a live run on a test clock: words at their times, a typed line at the instant it was typed, the same events every run")
  func typedLineOnTestClock() throws {
    let (events, typedAt) = try Self.drive(typeAfter: 2.2, text: "in French please")
    let heard = events.compactMap { if case .heard = $0.event { return $0.t } else { return nil } }
    let scripted = Self.words("What is the capital of France?", from: 0.5).dropLast().map(\.t)
    #expect(heard == Array(scripted))
    let typed = try #require(events.first { $0.event == .interjection("in French please") })
    #expect(typed.t == typedAt && typedAt >= 2.2, "typed at \(typedAt) s, heard at \(typed.t) s")
    // the answer goes on after the interjection, and the run ends
    let after = events.drop { $0.event != .interjection("in French please") }
    #expect(after.contains { if case .token(.writer, _) = $0.event { return true } else { return false } })
    #expect(events.contains { if case .finished = $0.event { return true } else { return false } })
    // deterministic: no wall time in it
    #expect(try Self.drive(typeAfter: 2.2, text: "in French please").events == events)
  }

  /// Clocks a driver made, in order; the test waits for the k-th.
  final class Clocks: @unchecked Sendable {
    private let condition = NSCondition()
    private var made: [ManualClock] = []
    func make() -> SessionClock {
      condition.lock()
      defer { condition.unlock() }
      made.append(ManualClock())
      condition.broadcast()
      return made.last!
    }
    func clock(_ k: Int) -> ManualClock {
      condition.lock()
      defer { condition.unlock() }
      while made.count <= k { condition.wait() }
      return made[k]
    }
  }

  @Test("the demo driver: a line typed between two scenarios reaches the next one; n ends the open conversation")
  func driverBetweenScenarios() throws {
    let e = try Self.engine()
    let clocks = Clocks()
    let scenarios = ["What is two plus two?", "Name a colour."].enumerated().map { i, q in
      Transcript(header: ["id": "s\(i)", "kind": "scenario"], events: Self.words(q, from: 0.5))
    }
    let driver = LiveDriver(
      scenarios: scenarios, strategy: .nothink, recordDir: nil, makeSession: { Self.session(e, $0) }, header: { _ in [:] },
      makeClock: clocks.make)
    driver.startNext()
    // Scenario 1 to its end, then the pause between the two: the engine waits with no scenario.
    let first = clocks.clock(0)
    while let t = first.untilIdle() {
      if driver.runningScenario == nil {
        driver.interject("and louder")
        first.advance(to: t)
        break
      }
      first.advance(to: t)
    }
    let one = driver.poll(wall: 0)
    #expect(one.events.contains { if case .finished = $0.event { return true } else { return false } })
    // Scenario 2 hears the typed line at its start; it is the last, so it stays open until `n`.
    let second = clocks.clock(1)
    _ = second.untilIdle()
    let two = driver.poll(wall: 0)
    #expect(two.reset)
    #expect(two.events.contains { $0.event == .interjection("and louder") })
    #expect(driver.runningScenario == 1)
    #expect(driver.statusFields.contains("type a question, n ends"))
    driver.next()
    driver.waitUntilFinished()
    #expect(driver.finished && driver.runningScenario == nil)
    #expect(driver.statusFields.contains("all scenarios done, q quits"))
  }
}
