import App
import Foundation
import Reasoning
import Session
import Testing

/// `--voice`: each chunk is said at the instant the speech clock starts it; an interjection
/// stops the voice at the cut. A fake player records what it was told and when.
@Suite struct VoiceTests {
  /// Records each call with the clock's time.
  final class FakePlayer: VoicePlayer, @unchecked Sendable {
    let clock: SessionClock
    private(set) var calls: [(t: Double, text: String?)] = []  // nil text: stop
    init(clock: SessionClock) { self.clock = clock }
    func say(_ text: String) { calls.append((clock.now, text)) }
    func stop() { calls.append((clock.now, nil)) }
  }

  static func spoken(_ t: Double, _ text: String, _ start: Double, _ duration: Double) -> TimedEvent {
    TimedEvent(t: t, event: .spoken(text, start: start, duration: duration))
  }

  @Test("the queue: chunks said when their start comes, in order, words trimmed; nothing early; blank chunks not said")
  func queueOrder() {
    var q = VoiceQueue()
    #expect(q.apply(Self.spoken(1.0, "The answer", 1.0, 0.8)) == [])
    #expect(q.apply(Self.spoken(1.1, " is", 1.8, 0.4)) == [])
    #expect(q.apply(Self.spoken(1.2, "\n\n", 2.2, 0)) == [])
    #expect(q.apply(Self.spoken(1.3, " 408.", 2.2, 0.5)) == [])
    #expect(q.due(at: 0.99) == [])
    #expect(q.due(at: 1.0) == [.say("The answer", duration: 0.8)])
    #expect(q.due(at: 1.79) == [])
    #expect(q.due(at: 1.8) == [.say("is", duration: 0.4)])
    #expect(q.due(at: 2.25) == [.say("408.", duration: 0.5)])
    #expect(q.waiting == 0)
  }

  @Test("the queue: an interjection while a chunk is said stops it and drops what had not started; one in silence stops nothing")
  func queueInterjection() {
    var q = VoiceQueue()
    _ = q.apply(Self.spoken(1.0, "The answer", 1.0, 0.8))
    _ = q.apply(Self.spoken(1.1, " is 408", 1.8, 1.0))
    _ = q.due(at: 1.0)
    #expect(q.apply(TimedEvent(t: 1.5, event: .interjection("wait"))) == [.stop])
    #expect(q.due(at: 5) == [] && q.waiting == 0)
    #expect(q.apply(TimedEvent(t: 6, event: .interjection("and?"))) == [])
    _ = q.apply(Self.spoken(6.2, "Sorry,", 6.2, 0.5))
    #expect(q.due(at: 6.2) == [.say("Sorry,", duration: 0.5)])
  }

  @Test("a chunk whose slot has passed (the voice fell behind) is skipped, not said late")
  func queueLate() {
    var q = VoiceQueue()
    _ = q.apply(Self.spoken(1.0, "one", 1.0, 0.5))
    _ = q.apply(Self.spoken(1.1, " two", 1.5, 0.5))
    #expect(q.due(at: 1.7) == [.say("two", duration: 0.5)])
  }

  @Test("the live voice on a hand-moved clock: each say at its chunk's start, a stop at the interjection, nothing after end")
  func voiceOnClock() {
    let clock = ManualClock()
    let player = FakePlayer(clock: clock)
    let voice = Voice(player: player)
    voice.begin(clock: clock)
    clock.advance(to: 1.0)
    voice.handle(Self.spoken(1.0, "The answer", 1.0, 0.8))  // starts now: said now
    voice.handle(Self.spoken(1.1, " is", 1.8, 0.4))
    voice.handle(Self.spoken(1.2, " 408", 2.2, 0.5))
    for t in stride(from: 1.0, through: 2.0, by: 0.01) {
      clock.advance(to: t)
      voice.tick()
    }
    clock.advance(to: 2.1)
    voice.handle(TimedEvent(t: 2.1, event: .interjection("wait")))
    clock.advance(to: 3)
    voice.tick()
    #expect(player.calls.map(\.text) == ["The answer", "is", nil])
    #expect(player.calls.map(\.t).enumerated().allSatisfy { abs($0.element - [1.0, 1.8, 2.1][$0.offset]) < 0.011 })
    voice.handle(Self.spoken(3.0, "Sorry", 3.0, 0.5))
    voice.end()
    clock.advance(to: 4)
    voice.tick()
    #expect(player.calls.map(\.text) == ["The answer", "is", nil, "Sorry", nil])
  }
}
