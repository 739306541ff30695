import Foundation
import Reasoning
import Session
import Testing

/// Collects what the feeder posts (from its own queue).
final class Posted: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [ReasoningEvent] = []
  func add(_ e: ReasoningEvent) {
    lock.lock()
    items.append(e)
    lock.unlock()
  }
  var all: [ReasoningEvent] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}

@Suite struct SpeechFeederTests {
  @Test("the speech timer releases events in order and holds the next turn until the answer is over")
  func holdsTheNextTurn() async throws {
    let start = Date()
    let events = [
      TimedEvent(t: 0.01, event: .heard("one")), TimedEvent(t: 0.02, event: .endOfUtterance),
      TimedEvent(t: 1.52, event: .heard("two")), TimedEvent(t: 1.6, event: .endOfUtterance),
    ]
    let posted = Posted()
    let feeder = SpeechFeeder(events: events, now: { Date().timeIntervalSince(start) }) { posted.add($0) }
    feeder.start()
    try await Task.sleep(for: .milliseconds(2500))
    // past the second utterance's scripted time, but the answer to the first is not over
    #expect(posted.all == [.heard("one"), .endOfUtterance])
    #expect(feeder.remaining == 2)
    feeder.setAnswerOver(true)
    try await Task.sleep(for: .milliseconds(300))
    #expect(posted.all.count == 2, "the scripted 1.5 s pause after the answer is kept")
    try await Task.sleep(for: .milliseconds(2500))
    #expect(posted.all == [.heard("one"), .endOfUtterance, .heard("two"), .endOfUtterance])
    #expect(feeder.remaining == 0)
    feeder.cancel()
  }
}
