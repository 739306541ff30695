import Foundation
import Reasoning
import Session
import Testing

/// Values a transcript cannot hold are `file:line:` errors, not numbers that overflow later.
@Suite struct BoundedReaderTests {
  static let header =
    "{\"type\":\"header\",\"format\":\"asyncvoice-transcript\",\"version\":\"1.0\"}\n{\"t\":0.5,\"type\":\"word\",\"text\":\"ok\"}\n"

  @Test(
    "out-of-range numbers get their message",
    arguments: [
      ("{\"t\":1,\"type\":\"truncation\",\"stream\":\"writer\",\"dropped\":-5}", "\"dropped\" to be a whole number from 0"),
      ("{\"t\":1,\"type\":\"truncation\",\"stream\":\"writer\",\"dropped\":2.5}", "\"dropped\" to be a whole number from 0"),
      ("{\"t\":1,\"type\":\"turn\",\"index\":1e300}", "\"index\" to be a whole number from 0"),
      ("{\"t\":1,\"type\":\"turn\",\"index\":-9223372036854775807}", "\"index\" to be a whole number from 0"),
      ("{\"t\":1,\"type\":\"turn\",\"index\":1,\"dropped_turns\":-1}", "\"dropped_turns\" to be a whole number from 0"),
      ("{\"t\":1,\"type\":\"probe\",\"p_yes\":0.5,\"p_no\":-5,\"yes\":true}", "\"p_no\" from 0 to 1"),
      ("{\"t\":1,\"type\":\"probe\",\"p_yes\":2,\"p_no\":0.1,\"yes\":true}", "\"p_yes\" from 0 to 1"),
      ("{\"t\":1e9,\"type\":\"word\",\"text\":\"a\"}", "\"t\" must be a number of seconds from 0 to 10000000"),
      ("{\"t\":1e300,\"type\":\"end_of_utterance\"}", "\"t\" must be a number of seconds from 0 to 10000000"),
      ("{\"t\":1,\"type\":\"note\"}", "note event needs a string \"text\""),
    ])
  func rejects(line: String, message: String) {
    let problems = Transcript.validateData(Data((Self.header + line + "\n").utf8), name: "f.jsonl")
    #expect(problems.count == 1)
    #expect(problems.first?.hasPrefix("f.jsonl:3: ") == true)
    #expect(problems.first?.contains(message) == true, "\(problems)")
  }

  @Test("a note round-trips; numbers JSON cannot hold are written as null, not a crash")
  func noteAndNonFinite() throws {
    let p = tempPath("note.jsonl")
    let r = try Recorder(path: p, header: ["id": "n"])
    r.record(TimedEvent(t: 1, event: .notice("input full")))
    r.write(["type": "metrics", "t": 2.0, "rtf": Double.nan, "list": [Double.infinity, 1.0]])
    r.close()
    let t = try Transcript.load(path: p)
    #expect(t.events == [TimedEvent(t: 1, event: .notice("input full"))])
    #expect(t.metrics?["rtf"] is NSNull)
    #expect((t.metrics?["list"] as? [Any])?.count == 2)
  }

  @Test("a lenient load stops at the first time past the bound, keeping what came before")
  func lenientStopsAtHugeTime() throws {
    let text = Self.header + "{\"t\":1e12,\"type\":\"end_of_utterance\"}\n"
    let t = try Transcript.parse(data: Data(text.utf8), name: "h", lenient: true)
    #expect(t.events.count == 1)
    #expect(t.duration <= TranscriptEvent.maxTime)
    #expect(t.warnings.first?.contains("h:3:") == true)
  }
}
