import ArgumentParser
import Foundation

struct AsyncVoiceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "asyncvoice",
    abstract: "A terminal voice assistant that thinks while it listens and speaks (asynchronous reasoning).",
    subcommands: [DemoCommand.self, RunCommand.self, ReplayCommand.self, EvalCommand.self, EvalMergeCommand.self, ProbeCheckCommand.self, CheckCommand.self, ExportCommand.self, GenerateCommand.self, BenchCommand.self, BenchUICommand.self],
    defaultSubcommand: DemoCommand.self)
}

/// Where the shipped models live, relative to the working directory or the executable.
enum Defaults {
  static let smallModel = "Assets/SmolLM2-135M-Instruct.Q4_1.gguf"
  static let demoModel = "Assets/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"

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

/// Prints one line to stderr and exits non-zero: the only place errors become exits.
func fail(_ message: String, code: Int32 = 1) -> Never {
  FileHandle.standardError.write(("asyncvoice: error: " + message + "\n").data(using: .utf8)!)
  exit(code)
}
