import Foundation
import Reasoning
import Session

/// WebVTT captions of a recording: the user's words grouped until the end of the utterance, each
/// interjection, and the assistant's chunks where the recording's speech schedule says them.
/// Pure: a transcript in, text out.
public struct Captions {
  public struct Cue: Equatable, Sendable {
    public var start: Double
    public var end: Double
    public var text: String
  }

  /// In order of start.
  public let cues: [Cue]

  public init(_ t: Transcript) {
    var cues: [Cue] = []
    var words: [String] = []
    var start = 0.0
    for e in t.events {
      switch e.event {
      case .heard(let w):
        if words.isEmpty { start = e.t }
        words.append(w)
      case .endOfUtterance:
        if !words.isEmpty { cues.append(Cue(start: start, end: e.t, text: "User: " + words.joined(separator: " "))) }
        words = []
      case .interjection(let s): cues.append(Cue(start: e.t, end: e.t + 1.5, text: "User (interjects): " + s))
      default: break
      }
    }
    // Each word after the first carries its time (WebVTT cue timestamps, as karaoke captions do).
    for c in SpeechSchedule(t.events).chunks where !c.words.isEmpty {
      let words = c.words.enumerated().map { k, w in k == 0 ? w.text : "<\(Self.timestamp(w.start))>" + w.text }
      cues.append(Cue(start: c.start, end: c.end, text: "Assistant: " + words.joined(separator: " ")))
    }
    self.cues = cues.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
  }

  /// A WebVTT time, `hh:mm:ss.ttt`.
  static func timestamp(_ s: Double) -> String {
    let ms = Int((s * 1000).rounded())
    return String(format: "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000)
  }

  /// The file's text; a cue lasts at least 0.2 s.
  public var webVTT: String {
    var out = "WEBVTT\n\n"
    for (i, c) in cues.enumerated() {
      out += "\(i + 1)\n\(Self.timestamp(c.start)) --> \(Self.timestamp(max(c.end, c.start + 0.2)))\n\(c.text)\n\n"
    }
    return out
  }
}
