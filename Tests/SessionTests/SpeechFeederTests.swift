import Foundation
import Reasoning
import Session
import Testing

/// Collects what the feeder posts (from its own queue).
final class Posted: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [ReasoningEvent] = []
  private var times: [Date] = []
  func add(_ e: ReasoningEvent) {
    lock.lock()
    items.append(e)
    times.append(Date())
    lock.unlock()
  }
  func time(_ i: Int) -> Date {
    lock.lock()
    defer { lock.unlock() }
    return times[i]
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
    let over = Date()
    feeder.setAnswerOver(true)
    for _ in 0..<100 where posted.all.count < 4 { try await Task.sleep(for: .milliseconds(100)) }
    #expect(posted.all == [.heard("one"), .endOfUtterance, .heard("two"), .endOfUtterance])
    // the scripted 1.5 s pause after the answer is kept (a lower bound: load only delays it)
    #expect(posted.time(2).timeIntervalSince(over) >= 1.45)
    #expect(feeder.remaining == 0)
    feeder.cancel()
  }
}
