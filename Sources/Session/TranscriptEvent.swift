import Foundation
import Reasoning

/// JSON Lines encoding of events (Transcripts/FORMAT.md). One event per line with `t` and `type`.
public enum TranscriptEvent {
  public static func encode(_ e: TimedEvent) -> [String: Any] {
    var d: [String: Any] = ["t": (e.t * 1000).rounded() / 1000]
    switch e.event {
    case .heard(let w): d["type"] = "word"; d["text"] = w
    case .endOfUtterance: d["type"] = "end_of_utterance"
    case .interjection(let s): d["type"] = "interjection"; d["text"] = s
    case .token(let k, let s): d["type"] = "token"; d["stream"] = k.rawValue; d["text"] = s
    case .mode(let m, let why): d["type"] = "mode"; d["mode"] = m.rawValue; d["reason"] = why
    case .probe(let y, let n, let yes):
      d["type"] = "probe"; d["p_yes"] = (y * 1e6).rounded() / 1e6; d["p_no"] = (n * 1e6).rounded() / 1e6; d["yes"] = yes
    case .truncated(let k, let n): d["type"] = "truncation"; d["stream"] = k.rawValue; d["dropped"] = n
    case .spoken(let s): d["type"] = "spoken"; d["text"] = s
    case .finished(let why): d["type"] = "finished"; d["reason"] = why
    case .turn(let i, let dropped): d["type"] = "turn"; d["index"] = i; d["dropped_turns"] = dropped
    }
    return d
  }

  /// A JSON number (not a boolean, which Foundation also bridges to NSNumber).
  static func number(_ v: Any?) -> Double? {
    guard let n = v as? NSNumber else { return nil }
    if "\(type(of: n))".contains("Boolean") { return nil }
    return n.doubleValue
  }

  public static func line(_ obj: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
  }

  public enum DecodeResult {
    case event(TimedEvent)
    case metrics([String: Any])
    case unknown(String)
  }

  /// Decodes one event object; throws a reason string for a bad one.
  public static func decode(_ d: [String: Any]) throws -> DecodeResult {
    guard let type = d["type"] as? String else { throw TranscriptError.reason("missing \"type\"") }
    guard let tv = d["t"] else { throw TranscriptError.reason("missing \"t\" (seconds since start)") }
    guard let t = Self.number(tv), t.isFinite, t >= 0 else {
      throw TranscriptError.reason("\"t\" must be a number ≥ 0, got \(tv)")
    }
    func str(_ k: String) throws -> String {
      guard let s = d[k] as? String else { throw TranscriptError.reason("\(type) event needs a string \"\(k)\"") }
      return s
    }
    func stream() throws -> StreamKind {
      let s = try str("stream")
      guard let k = StreamKind(rawValue: s) else { throw TranscriptError.reason("unknown stream \"\(s)\" (expected thinker or writer)") }
      return k
    }
    func num(_ k: String) throws -> Double {
      guard let n = Self.number(d[k]) else { throw TranscriptError.reason("\(type) event needs a number \"\(k)\"") }
      return n
    }
    let e: ReasoningEvent
    switch type {
    case "word": e = .heard(try str("text"))
    case "end_of_utterance": e = .endOfUtterance
    case "interjection": e = .interjection(try str("text"))
    case "token": e = .token(try stream(), try str("text"))
    case "mode":
      let m = try str("mode")
      guard let mode = Mode(rawValue: m) else { throw TranscriptError.reason("unknown mode \"\(m)\"") }
      e = .mode(mode, reason: (d["reason"] as? String) ?? "")
    case "probe":
      guard let yes = d["yes"] as? Bool else { throw TranscriptError.reason("probe event needs a boolean \"yes\"") }
      e = .probe(pYes: try num("p_yes"), pNo: try num("p_no"), yes: yes)
    case "truncation": e = .truncated(try stream(), dropped: Int(try num("dropped")))
    case "spoken": e = .spoken(try str("text"))
    case "finished": e = .finished((d["reason"] as? String) ?? "")
    case "turn": e = .turn(index: Int(try num("index")), droppedTurns: Int((Self.number(d["dropped_turns"]) ?? 0)))
    case "metrics": return .metrics(d)
    default: return .unknown(type)
    }
    return .event(TimedEvent(t: t, event: e))
  }
}

public enum TranscriptError: Error, CustomStringConvertible {
  case reason(String)
  case badLine(file: String, line: Int, reason: String)
  case cannotRead(String, String)

  public var description: String {
    switch self {
    case .reason(let r): return r
    case .badLine(let f, let l, let r): return "\(f):\(l): \(r)"
    case .cannotRead(let f, let r): return "\(f): \(r)"
    }
  }
}
