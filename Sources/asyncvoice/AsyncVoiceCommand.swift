import ArgumentParser
import Foundation
import Session

struct AsyncVoiceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "asyncvoice",
    abstract: "A terminal voice assistant that thinks while it listens and speaks (asynchronous reasoning).",
    subcommands: [
      DemoCommand.self, RunCommand.self, ReplayCommand.self, EvalCommand.self, EvalMergeCommand.self, ProbeCheckCommand.self,
      RequestCheckCommand.self,
      CheckCommand.self, ExportCommand.self, GenerateCommand.self, BenchCommand.self, BenchUICommand.self, PromptsCommand.self,
    ],
    defaultSubcommand: DemoCommand.self)
}

/// Where the shipped models live, relative to the working directory or the executable.
enum Defaults {
  static let smallModel = "Assets/SmolLM2-135M-Instruct.Q4_1.gguf"
  static let demoModel = "Assets/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"

  static func resolve(_ path: String) -> String {
    if FileManager.default.fileExists(atPath: path) || path.hasPrefix("/") { return path }
    // Walk up from the executable (…/.build/release/asyncvoice) to find the project folder.
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent(path).path
      if FileManager.default.fileExists(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return path
  }
}

/// An error as plain words: Foundation's file errors by their reason ("Permission denied"), not
/// as "Error Domain=NSCocoaErrorDomain Code=…".
func describe(_ error: Error) -> String {
  if let c = error as? CocoaError {
    if let u = c.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(u.code)))
    }
    switch c.code {
    case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
    case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
    case .fileWriteOutOfSpace: return "no space left on the device"
    case .fileWriteFileExists: return "cannot write there (a folder or a file that cannot be replaced)"
    case .fileReadCorruptFile, .propertyListReadCorrupt: return "not valid JSON"
    default: return "file error \(c.code.rawValue)"
    }
  }
  if let d = error as? DecodingError {
    switch d {
    case .keyNotFound(let k, _): return "missing key \"\(k.stringValue)\""
    case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
      let at = c.codingPath.map(\.stringValue).joined(separator: ".")
      return (at.isEmpty ? "" : "at \"\(at)\": ") + c.debugDescription
    @unknown default: return "\(d)"
    }
  }
  return "\(error)"
}

/// Refuses an output path that is not a new path or a regular file before any work is done
/// (the write itself checks again, on the opened file).
func checkOutputPath(_ path: String, option: String) {
  var st = stat()
  if stat(path, &st) == 0 {
    guard st.st_mode & S_IFMT == S_IFREG else {
      fail("\(option) \(path): is \(OutputFile.kindName(st.st_mode)), expected a regular file or a new path", code: 2)
    }
    guard access(path, W_OK) == 0 else { fail("\(option) \(path): not writable (\(String(cString: strerror(errno))))", code: 2) }
  } else {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
    var d = stat()
    if stat(dir, &d) == 0 && d.st_mode & S_IFMT == S_IFDIR && access(dir, W_OK) != 0 {
      fail("\(option) \(path): cannot create a file in \(dir) (\(String(cString: strerror(errno))))", code: 2)
    }
  }
}

/// A folder to record into: an existing directory (followed through symlinks) or a new path; a
/// device, FIFO or file there is refused before anything runs.
func checkOutputFolder(_ path: String, option: String) {
  var st = stat()
  if stat(path, &st) == 0, st.st_mode & S_IFMT != S_IFDIR {
    let kind = st.st_mode & S_IFMT == S_IFREG ? "a regular file" : OutputFile.kindName(st.st_mode)
    fail("\(option) \(path): is \(kind), expected a folder or a .jsonl file", code: 2)
  }
}

/// Prints one line to stderr and exits non-zero: the only place errors become exits.
func fail(_ message: String, code: Int32 = 1) -> Never {
  FileHandle.standardError.write(("asyncvoice: error: " + message + "\n").data(using: .utf8)!)
  exit(code)
}
