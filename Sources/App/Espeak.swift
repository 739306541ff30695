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

  /// espeak-ng's speech for `text` at `wpm` as the WAV file it writes (`--stdout`).
  public func synthesize(_ text: String, wpm: Double) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = ["--stdout", "--stdin", "-s", "\(Int(wpm.rounded()))"]
    let input = Pipe()
    let output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    p.standardError = FileHandle.nullDevice
    try p.run()
    input.fileHandleForWriting.write(Data((text + "\n").utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      throw Failed(description: "espeak-ng failed (status \(p.terminationStatus)) on \"\(text)\"")
    }
    return data
  }
}
