import Foundation
import Reasoning
import Session
import Testing

@Suite struct SpeechScheduleTests {
  static func spoken(_ t: Double, _ text: String, _ start: Double, _ duration: Double) -> TimedEvent {
    TimedEvent(t: t, event: .spoken(text, start: start, duration: duration))
  }

  @Test(
    "a recording's reader drops exactly the chunks the engine's cut dropped, when the interjection and a chunk's start fall within a ms",
    arguments: [(5.7606, 5.7604), (5.7604, 5.7606), (5.7608, 5.7606), (5.7596, 5.7604), (5.7614, 5.7604), (5.76, 5.76)])
  func cutAtRecordingResolution(start: Double, interjection: Double) throws {
    var engine = SpeechClock(wordsPerMinute: 120, tokensPerChunk: 1)
    engine.reset(at: 3)
    let first = engine.write("17 x 23 =", at: 3)  // said 3–5 s
    engine.reset(at: start)  // the second chunk starts exactly at `start`
    engine.write(" 391.", at: start)  // a number: said when the writer pauses
    let second = engine.flush(at: start)
    guard let first, let second else { Issue.record("two chunks were made"); return }
    #expect(second.start == start && first.end <= start)
    _ = engine.cut(at: interjection)

    // The recording: each event encoded (ms) and decoded, as a reader of the file gets it.
    let events = [
      Self.spoken(first.ready, first.text, first.start, first.duration),
      Self.spoken(second.ready, second.text, second.start, second.duration),
      TimedEvent(t: interjection, event: .interjection("actually 24")),
    ]
    let read = try events.map { e -> TimedEvent in
      guard case .event(let d) = try TranscriptEvent.decode(TranscriptEvent.encode(e)) else { throw CancellationError() }
      return d
    }
    #expect(SpeechSchedule(read).chunks.map(\.text) == engine.chunks.map(\.text), "start \(start), cut \(interjection)")
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
