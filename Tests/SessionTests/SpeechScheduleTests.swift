import Foundation
import Reasoning
import Session
import Testing

@Suite struct SpeechScheduleTests {
  static func spoken(_ t: Double, _ text: String, _ start: Double, _ duration: Double) -> TimedEvent {
    TimedEvent(t: t, event: .spoken(text, start: start, duration: duration))
  }

  @Test("chunks are where their events put them; an interjection drops what had not started and stops what is said")
  func cutAtInterjection() {
    let s = SpeechSchedule([
      Self.spoken(1.0, "The answer", 1.2, 1.0), Self.spoken(1.1, " is 408", 2.2, 1.0), Self.spoken(1.2, ".", 3.2, 0.5),
      TimedEvent(t: 2.5, event: .interjection("wait")), Self.spoken(3.0, "Sorry,", 3.0, 0.5),
    ])
    #expect(s.chunks.map(\.text) == ["The answer", " is 408", "Sorry,"])
    #expect(s.chunks.map(\.start) == [1.2, 2.2, 3.0])
    #expect(s.endOfSpeech == 3.5)
    #expect(s.slots.map(\.end) == [2.2, 2.5, 3.5])  // the next start, the interjection, its own end
  }

  @Test("a 1.0 file (spoken events without a schedule) reads with the schedule its rate gives, as before")
  func legacyFile() throws {
    let header = #"{"type":"header","format":"asyncvoice-transcript","version":"1.0","speech_rate_wpm":120}"#
    let lines = [
      #"{"t":1,"type":"end_of_utterance"}"#, #"{"t":1.5,"type":"spoken","text":"one two three"}"#,
      #"{"t":1.6,"type":"spoken","text":" four"}"#, #"{"t":2,"type":"interjection","text":"stop"}"#,
      #"{"t":2.1,"type":"spoken","text":"Sorry"}"#,
    ]
    let t = try Transcript.parse(data: Data(([header] + lines).joined(separator: "\n").utf8), name: "old")
    let want = [
      Self.spoken(1.5, "one two three", 1.5, 1.5), Self.spoken(1.6, " four", 3.0, 0.5),
      Self.spoken(2.1, "Sorry", 3.0, 0.5),  // after the chunk being said at the cut
    ]
    #expect(t.events.filter { if case .spoken = $0.event { return true } else { return false } } == want)
    #expect(t.speechRate == 120)
  }

  @Test("a spoken event with half a schedule, or one out of range, is a bad line")
  func badSchedule() {
    let header = #"{"type":"header","format":"asyncvoice-transcript","version":"1.1"}"#
    for line in [
      #"{"t":1,"type":"spoken","text":"a","start":1}"#, #"{"t":1,"type":"spoken","text":"a","start":-1,"duration":1}"#,
      #"{"t":1,"type":"spoken","text":"a","start":1,"duration":1e9}"#,
    ] {
      #expect(throws: TranscriptError.self) { try Transcript.parse(data: Data((header + "\n" + line).utf8), name: "bad") }
    }
  }

  @Test("on a replay's shortened timeline a chunk keeps its delay after its event and its duration")
  func replayRetimes() {
    let events = [TimedEvent(t: 0, event: .endOfUtterance), Self.spoken(10, "late", 10.5, 0.7)]
    let timeline = ReplayTimeline(events: events, maxGap: 3)
    #expect(timeline.retimed(events[1], index: 1) == Self.spoken(3, "late", 3.5, 0.7))
  }
}
