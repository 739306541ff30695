import Foundation

/// The espeak-ng executable: found on PATH, run once per text. The one place that starts it for
/// synthesis (`WavRenderer`, `EspeakDurations`); `EspeakPlayer` starts it to play.
public struct Espeak: Sendable {
  public let path: String

  public init(path: String) { self.path = path }

  public struct Missing: Error, CustomStringConvertible {
    public init() {}
    public var description: String {
      "espeak-ng not found on PATH; install it (Debian: apt-get install espeak-ng, which scripts/setup.sh does)"
    }
  }

  public struct Failed: Error, CustomStringConvertible {
    public let description: String
  }

  /// Finds espeak-ng on `path` (a PATH value: the caller's environment).
  public static func locate(path: String) -> Espeak? {
    path.split(separator: ":").map { "\($0)/espeak-ng" }.first { FileManager.default.isExecutableFile(atPath: $0) }
      .map(Espeak.init(path:))
  }

  /// The arguments that say `text` at `wpm`: its spoken form (`SpokenForm`) after `--`, so
  /// synthesis and playback hear the same words.
  public func arguments(saying text: String, wpm: Double) -> [String] {
    ["-s", "\(Int(wpm.rounded()))", "--", SpokenForm.text(text)]
  }

  /// espeak-ng's speech for `text` at `wpm` as the WAV file it writes (`--stdout`). The text goes
  /// as an argument after `--` (the same audio as on stdin, byte for byte): no pipe to write
  /// into, so an espeak-ng that dies early cannot end us with SIGPIPE.
  public func synthesize(_ text: String, wpm: Double) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = ["--stdout"] + arguments(saying: text, wpm: wpm)
    let output = Pipe()
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = output
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      throw Failed(description: "espeak-ng failed (status \(p.terminationStatus)) on \"\(text)\"")
    }
    return data
  }
}
