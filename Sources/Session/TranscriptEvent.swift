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
    case .held(let v, let n): d["type"] = "hold"; d["value"] = v; d["dropped"] = n
    case .spoken(let s, let start, let duration):
      d["type"] = "spoken"; d["text"] = s
      d["start"] = (start * 1000).rounded() / 1000; d["duration"] = (duration * 1000).rounded() / 1000
    case .finished(let why): d["type"] = "finished"; d["reason"] = why
    case .turn(let i, let dropped): d["type"] = "turn"; d["index"] = i; d["dropped_turns"] = dropped
    case .notice(let s): d["type"] = "note"; d["text"] = s
    case .layout(let m): encodeLayout(m, into: &d)
    }
    return d
  }

  /// A `layout` event (1.2): each block's length once (`blocks`), each view as its blocks in order
  /// (`views`; offsets are the lengths before), and the blocks being written (`writing`).
  static func encodeLayout(_ m: CacheMap, into d: inout [String: Any]) {
    d["type"] = "layout"
    var blocks: [String: Int] = [:]
    for v in m.views { for e in v.entries { blocks[e.block] = e.length } }
    d["blocks"] = blocks
    d["views"] = m.views.map { ["name": $0.name, "blocks": $0.entries.map(\.block)] as [String: Any] }
    d["writing"] = m.writing
  }

  /// Reads a `layout` event's fields; every block a view names must have a length in `blocks`.
  static func decodeLayout(_ d: [String: Any]) throws -> CacheMap {
    guard let blocks = d["blocks"] as? [String: Any], blocks.count <= 256 else {
      throw TranscriptError.reason("layout event needs an object \"blocks\" (block name → length, at most 256)")
    }
    var lengths: [String: Int] = [:]
    for (name, v) in blocks {
      guard let n = number(v), n >= 0, n <= maxCount, n.rounded() == n else {
        throw TranscriptError.reason("layout event: block \"\(name)\" needs a whole length from 0 to \(Int(maxCount)), got \(v)")
      }
      lengths[name] = Int(n)
    }
    guard let views = d["views"] as? [[String: Any]], views.count <= 16 else {
      throw TranscriptError.reason("layout event needs \"views\": a list of at most 16 {\"name\", \"blocks\"}")
    }
    var out: [CacheMap.View] = []
    for v in views {
      guard let name = v["name"] as? String, let names = v["blocks"] as? [String], names.count <= 256 else {
        throw TranscriptError.reason("layout event: a view needs a string \"name\" and a list of block names \"blocks\"")
      }
      var entries: [(name: String, length: Int)] = []
      for b in names {
        guard let n = lengths[b] else {
          throw TranscriptError.reason("layout event: view \"\(name)\" names block \"\(b)\", not in \"blocks\"")
        }
        entries.append((b, n))
      }
      out.append(CacheMap.view(name, entries))
    }
    guard let writing = (d["writing"] ?? [String]()) as? [String] else {
      throw TranscriptError.reason("layout event needs \"writing\" to be a list of block names")
    }
    return CacheMap(views: out, writing: writing)
  }

  /// The latest event time a transcript may hold (seconds; 115 days): readers stay bounded.
  public static let maxTime = 1e7
  /// The largest count (tokens, turns) an event may hold.
  public static let maxCount = 1e9

  /// A JSON number (not a boolean, which Foundation also bridges to NSNumber).
  static func number(_ v: Any?) -> Double? {
    guard let n = v as? NSNumber else { return nil }
    if "\(type(of: n))".contains("Boolean") { return nil }
    return n.doubleValue
  }

  /// One JSON line. Numbers JSON cannot hold (NaN, ±inf) are written as null.
  public static func line(_ obj: [String: Any]) -> String {
    let clean = finite(obj) as? [String: Any] ?? [:]
    guard JSONSerialization.isValidJSONObject(clean),
      let data = try? JSONSerialization.data(withJSONObject: clean, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return #"{"type":"note","t":0,"text":"an event that JSON cannot hold was left out"}"# }
    return String(decoding: data, as: UTF8.self)
  }

  private static func finite(_ v: Any) -> Any {
    switch v {
    case let d as [String: Any]: return d.mapValues(finite)
    case let a as [Any]: return a.map(finite)
    case let x as Double: return x.isFinite ? x : NSNull()
    case let x as Float: return x.isFinite ? Double(x) : NSNull()
    default: return v
    }
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
    guard let t = Self.number(tv), t.isFinite, t >= 0, t <= maxTime else {
      throw TranscriptError.reason("\"t\" must be a number of seconds from 0 to \(Int(maxTime)), got \(tv)")
    }
    func str(_ k: String) throws -> String {
      guard let s = d[k] as? String else { throw TranscriptError.reason("\(type) event needs a string \"\(k)\"") }
      return s
    }
    func stream() throws -> StreamKind {
      let s = try str("stream")
      guard let k = StreamKind(rawValue: s) else {
        throw TranscriptError.reason("unknown stream \"\(s)\" (expected thinker or writer)")
      }
      return k
    }
    func num(_ k: String) throws -> Double {
      guard let n = Self.number(d[k]) else { throw TranscriptError.reason("\(type) event needs a number \"\(k)\"") }
      return n
    }
    func probability(_ k: String) throws -> Double {
      let p = try num(k)
      guard p >= 0 && p <= 1 else { throw TranscriptError.reason("\(type) event needs \"\(k)\" from 0 to 1, got \(p)") }
      return p
    }
    func count(_ k: String, default v: Double? = nil) throws -> Int {
      let n = v != nil && d[k] == nil ? v! : try num(k)
      guard n >= 0, n <= maxCount, n.rounded() == n else {
        throw TranscriptError.reason(
          "\(type) event needs \"\(k)\" to be a whole number from 0 to \(Int(maxCount)), got \(d[k] ?? "")")
      }
      return Int(n)
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
      e = .probe(pYes: try probability("p_yes"), pNo: try probability("p_no"), yes: yes)
    case "truncation": e = .truncated(try stream(), dropped: try count("dropped"))
    case "hold": e = .held(value: try str("value"), dropped: try count("dropped"))
    case "spoken":
      // 1.0 files have no schedule: NaN until `Transcript` re-simulates it (`SpeechSchedule.legacy`).
      if d["start"] == nil && d["duration"] == nil {
        e = .spoken(try str("text"), start: .nan, duration: .nan)
      } else {
        let start = try num("start"), duration = try num("duration")
        guard start.isFinite, start >= 0, start <= maxTime, duration.isFinite, duration >= 0, duration <= maxTime else {
          throw TranscriptError.reason(
            "spoken event needs \"start\" and \"duration\" in seconds from 0 to \(Int(maxTime)), got \(start), \(duration)")
        }
        e = .spoken(try str("text"), start: start, duration: duration)
      }
    case "finished": e = .finished((d["reason"] as? String) ?? "")
    case "turn": e = .turn(index: try count("index"), droppedTurns: try count("dropped_turns", default: 0))
    case "note": e = .notice(try str("text"))
    case "layout": e = .layout(try decodeLayout(d))
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
