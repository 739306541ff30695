import Reasoning
import Session
import Testing

/// The turn-pause rule, as a table: what is due when, given when the answer was over.
@Suite struct UserScheduleTests {
  static let twoTurns = [
    TimedEvent(t: 0.5, event: .heard("one")), TimedEvent(t: 1.0, event: .endOfUtterance),
    TimedEvent(t: 2.5, event: .heard("two")), TimedEvent(t: 2.8, event: .interjection("three")),
    TimedEvent(t: 3.0, event: .endOfUtterance),
  ]

  @Test("events come at their scripted times, in order")
  func scripted() {
    var s = UserSchedule(Self.twoTurns)
    #expect(s.nextTime == 0.5)
    #expect(s.release(upTo: 0.4).isEmpty)
    // Released late (the engine was busy until 1.7 s), each keeps the time it was said at.
    #expect(s.release(upTo: 1.7) == [TimedEvent(t: 0.5, event: .heard("one")), TimedEvent(t: 1.0, event: .endOfUtterance)])
    #expect(s.remaining == 3)
  }

  @Test(
    "the next turn waits for the answer, then keeps its scripted pause; later events move along",
    arguments: [
      // (answer over at, first word of the next turn at): pause 2.5 − 1.0 = 1.5 s
      (4.0, 5.5), (0.9, 2.5), (1.2, 2.7),
    ])
  func nextTurnWaits(over: Double, firstWord: Double) {
    var s = UserSchedule(Self.twoTurns)
    _ = s.release(upTo: 1.0)
    #expect(s.holdsNextTurn && s.nextTime == nil)
    #expect(s.release(upTo: 100).isEmpty)  // held, however late it is
    s.answerOver(at: over)
    s.answerOver(at: over + 10)  // reported again: no change
    #expect(!s.holdsNextTurn)
    let t = s.nextTime ?? -1
    #expect(abs(t - firstWord) < 1e-9)
    #expect(s.release(upTo: t).map(\.event) == [.heard("two")])
    #expect(abs((s.nextTime ?? -1) - (t + 0.3)) < 1e-9)  // the interjection keeps its distance
    let late = s.release(upTo: t + 0.5)
    #expect(late.map(\.event) == [.interjection("three"), .endOfUtterance])
    #expect(abs(late[1].t - (t + 0.5)) < 1e-9)  // moved along with the turn
  }

  @Test("a schedule started at 2.0 s (a live clock that ran while the prompts were encoded) moves every event along")
  func startsLater() {
    var s = UserSchedule(Self.twoTurns, startingAt: 2.0)
    #expect(s.nextTime == 2.5)
    #expect(s.release(upTo: 2.0).isEmpty)
    #expect(s.release(upTo: 3.0) == [TimedEvent(t: 2.5, event: .heard("one")), TimedEvent(t: 3.0, event: .endOfUtterance)])
  }

  @Test("the pause is at least 0.5 s, even when the scenario gives less")
  func minimumPause() {
    var s = UserSchedule([
      TimedEvent(t: 1.0, event: .endOfUtterance), TimedEvent(t: 1.1, event: .heard("again")),
    ])
    _ = s.release(upTo: 1.0)
    s.answerOver(at: 3.0)
    #expect(s.nextTime == 3.5)
  }

  @Test("an interjection after the end of the utterance is not a turn: it is not held")
  func interjectionNotHeld() {
    var s = UserSchedule([
      TimedEvent(t: 1.0, event: .endOfUtterance), TimedEvent(t: 2.0, event: .interjection("wait")),
    ])
    #expect(s.release(upTo: 2.0).map(\.event) == [.endOfUtterance, .interjection("wait")])
  }
}
