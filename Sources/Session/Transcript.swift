import Foundation
import Reasoning

/// A transcript file: a header and timed events. A *scenario* holds only the user's side
/// (words, end of utterance, interjections); a *recording* holds every event of a session.
public struct Transcript {
  public static let formatName = "asyncvoice-transcript"
  public static let majorVersion = 1
  /// What writers write: 1.1 added the speech schedule to `spoken` events (1.0 files still read);
  /// 1.2 added `layout` events (1.1 files replay without the cache map).
  public static let version = "1.2"

  public var header: [String: Any]
  public var events: [TimedEvent]
  public var metrics: [String: Any]?
  public var warnings: [String] = []

  public var kind: String { header["kind"] as? String ?? "recording" }
  public var id: String { header["id"] as? String ?? "" }
  public var title: String { header["title"] as? String ?? id }
  public var expected: AnswerCheck? {
    (header["expected"] as? [String: Any]).flatMap { try? AnswerCheck(json: $0) }
  }
  public var tags: [String] { header["tags"] as? [String] ?? [] }
  /// The user's side only.
  public var userEvents: [TimedEvent] {
    events.filter {
      switch $0.event {
      case .heard, .endOfUtterance, .interjection: return true
      default: return false
      }
    }
  }
  public var duration: Double { events.last?.t ?? 0 }
  /// The assistant's speaking rate of a recording (the header's `speech_rate_wpm`, else 170).
  public var speechRate: Double {
    TranscriptEvent.number(header["speech_rate_wpm"]).flatMap { $0 >= 1 && $0 <= 1_000_000 ? $0 : nil } ?? 170
  }

  public init(header: [String: Any], events: [TimedEvent]) {
    self.header = header
    self.events = events
  }

  /// Parses a file. With `lenient`, a bad line or a cut-off last line stops reading there (the
  /// file replays up to its last full line) and becomes a warning; otherwise it throws.
  public static func load(path: String, lenient: Bool = false) throws -> Transcript {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw TranscriptError.cannotRead(path, "cannot read the file")
    }
    return try parse(data: data, name: path, lenient: lenient)
  }

  public static func parse(data: Data, name: String, lenient: Bool = false) throws -> Transcript {
    var errors: [TranscriptError] = []
    let t = parseCollecting(data: data, name: name, stopAtFirst: true, errors: &errors)
    if let e = errors.first, !lenient || t == nil { throw e }
    var out = t!
    out.warnings += errors.map(\.description)
    return out
  }

  /// Every problem of a file, for `asyncvoice check`.
  public static func validate(path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return ["\(path): cannot read the file"] }
    return validateData(data, name: path)
  }

  public static func validateData(_ data: Data, name: String) -> [String] {
    var errors: [TranscriptError] = []
    let t = parseCollecting(data: data, name: name, stopAtFirst: false, errors: &errors)
    return errors.map(\.description) + (t?.warnings ?? [])
  }

  /// Parses as far as possible, for fuzzing.
  @discardableResult
  public static func parseCollecting(data: Data, name: String) -> Transcript? {
    var errors: [TranscriptError] = []
    return parseCollecting(data: data, name: name, stopAtFirst: false, errors: &errors)
  }

  static func parseCollecting(data: Data, name: String, stopAtFirst: Bool, errors: inout [TranscriptError]) -> Transcript? {
    let text = String(decoding: data, as: UTF8.self)
    var lines = text.components(separatedBy: "\n")
    let endsClean = text.hasSuffix("\n")
    if endsClean { lines.removeLast() }
    guard let first = lines.first, !first.isEmpty else {
      errors.append(.badLine(file: name, line: 1, reason: "empty file: expected a header line"))
      return nil
    }
    guard let h = (try? JSONSerialization.jsonObject(with: Data(first.utf8))) as? [String: Any] else {
      errors.append(.badLine(file: name, line: 1, reason: "header is not a JSON object"))
      return nil
    }
    guard h["type"] as? String == "header", h["format"] as? String == formatName else {
      errors.append(
        .badLine(file: name, line: 1, reason: "expected a header with \"type\":\"header\" and \"format\":\"\(formatName)\""))
      return nil
    }
    guard let v = h["version"] as? String, let major = Int(v.split(separator: ".").first ?? "") else {
      errors.append(.badLine(file: name, line: 1, reason: "header needs \"version\" like \"1.0\""))
      return nil
    }
    guard major == majorVersion else {
      errors.append(
        .badLine(file: name, line: 1, reason: "format version \(v) is not supported (this build reads \(majorVersion).x)"))
      return nil
    }
    if let e = h["expected"] {
      do {
        guard let d = e as? [String: Any] else { throw TranscriptError.reason("expected must be an object") }
        _ = try AnswerCheck(json: d)
      } catch {
        errors.append(.badLine(file: name, line: 1, reason: "\(error)"))
        if stopAtFirst { return nil }
      }
    }
    var t = Transcript(header: h, events: [])
    var lastT = 0.0
    for (i, line) in lines.enumerated().dropFirst() {
      let n = i + 1
      if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
      let isLast = i == lines.count - 1
      guard let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
        errors.append(
          .badLine(
            file: name, line: n,
            reason: isLast && !endsClean ? "last line is cut off (the session was interrupted?)" : "not a JSON object"))
        if stopAtFirst { return t }
        continue
      }
      do {
        switch try TranscriptEvent.decode(obj) {
        case .event(let e):
          if e.t + 1e-9 < lastT { throw TranscriptError.reason("time \(e.t) goes backwards (previous event at \(lastT))") }
          lastT = e.t
          t.events.append(e)
        case .metrics(let m): t.metrics = m
        case .unknown(let type): t.warnings.append("\(name):\(n): unknown event type \"\(type)\" skipped")
        }
      } catch {
        errors.append(.badLine(file: name, line: n, reason: "\(error)"))
        if stopAtFirst { return t }
      }
    }
    if t.events.contains(where: { if case .spoken(_, let s, _) = $0.event { return s.isNaN } else { return false } }) {
      t.events = SpeechSchedule.legacy(t.events, wordsPerMinute: t.speechRate)
    }
    if t.kind == "scenario" && !t.events.contains(where: { $0.event == .endOfUtterance }) {
      errors.append(.badLine(file: name, line: lines.count, reason: "scenario has no end_of_utterance event"))
    }
    return t
  }
}
