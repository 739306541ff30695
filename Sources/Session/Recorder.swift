import Foundation
import Reasoning

/// Writes a recording: the header, then each event as one line, flushed as it happens, so a
/// session killed mid-way leaves a file that replays up to its last full line. Only a new path or
/// a regular file is written (`OutputFile`); a failed write (disk full, file size limit) stops the
/// recording, keeps what was written, and is reported in `failure`.
public final class Recorder {
  private let file: OutputFile
  public let path: String
  /// Why the recording stopped early (nil while it works).
  public private(set) var failure: String?

  public init(path: String, header: [String: Any]) throws {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw OutputFile.Failure.cannotOpen(path: path, reason: "cannot create the folder \(dir.path)")
    }
    file = try OutputFile(path: path)
    self.path = path
    var h = header
    h["type"] = "header"
    h["format"] = Transcript.formatName
    h["version"] = Transcript.version
    h["kind"] = h["kind"] ?? "recording"
    try file.write(TranscriptEvent.line(h) + "\n")
  }

  public func record(_ e: TimedEvent) { write(TranscriptEvent.encode(e)) }

  public func write(_ obj: [String: Any]) {
    guard failure == nil else { return }
    do {
      try file.write(TranscriptEvent.line(obj) + "\n")
      try file.sync()
    } catch {
      failure = "\(error)"
      file.close()
    }
  }

  public func close() { file.close() }
}
