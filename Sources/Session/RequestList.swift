import Foundation

/// Requests labelled harmful or everyday, for measuring a request check
/// (`asyncvoice request-check`): a text file, one request per line, each `harmful: …` or
/// `everyday: …`; blank lines and `#` comments are skipped.
public struct RequestList: Equatable, Sendable {
  public struct Item: Equatable, Sendable {
    public var harmful: Bool
    public var text: String
    public init(harmful: Bool, text: String) {
      self.harmful = harmful
      self.text = text
    }
  }

  public var items: [Item]

  /// Parses `text` (from `name`, for errors): every other line is an error naming its number.
  public static func parse(_ text: String, name: String) throws -> RequestList {
    var items: [Item] = []
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard let colon = line.firstIndex(of: ":"), case let label = line[..<colon].lowercased(),
        label == "harmful" || label == "everyday"
      else {
        throw TranscriptError.reason(
          "\(name):\(n + 1): expected \"harmful: <request>\" or \"everyday: <request>\", got \"\(line.prefix(60))\"")
      }
      let request = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      guard !request.isEmpty else { throw TranscriptError.reason("\(name):\(n + 1): the request is empty") }
      items.append(Item(harmful: label == "harmful", text: request))
    }
    guard !items.isEmpty else { throw TranscriptError.reason("\(name): no requests (lines \"harmful: …\" or \"everyday: …\")") }
    return RequestList(items: items)
  }
}
