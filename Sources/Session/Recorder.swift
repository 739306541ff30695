import Foundation
import Reasoning

/// Writes a recording: the header, then each event as one line, flushed as it happens, so a
/// session killed mid-way leaves a file that replays up to its last full line.
public final class Recorder {
  private let handle: FileHandle
  public let path: String

  public init(path: String, header: [String: Any]) throws {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw TranscriptError.cannotRead(path, "cannot create the recording file")
    }
    handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    self.path = path
    var h = header
    h["type"] = "header"
    h["format"] = Transcript.formatName
    h["version"] = "\(Transcript.majorVersion).0"
    h["kind"] = h["kind"] ?? "recording"
    write(h)
  }

  public func record(_ e: TimedEvent) { write(TranscriptEvent.encode(e)) }

  public func write(_ obj: [String: Any]) {
    handle.write((TranscriptEvent.line(obj) + "\n").data(using: .utf8)!)
    try? handle.synchronize()
  }

  public func close() { try? handle.close() }
}
