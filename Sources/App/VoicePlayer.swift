import Foundation

/// Says text aloud (`--voice`). The live driver calls it at each chunk's start; tests give a
/// fake that records the calls.
public protocol VoicePlayer: AnyObject {
  /// Starts saying `text` (the one being said, if any, stops: its slot is over).
  func say(_ text: String)
  /// Stops the voice at once (an interjection, the end of a scenario, quitting).
  func stop()
}

/// Plays through espeak-ng on the default audio device: one espeak-ng process per chunk, killed
/// to stop. Process spawning for the voice lives here only.
///
/// Threads: any (under a lock).
public final class EspeakPlayer: VoicePlayer, @unchecked Sendable {
  public let espeak: Espeak
  public let wordsPerMinute: Double
  private var current: Process?
  private let lock = NSLock()

  public init(espeak: Espeak, wordsPerMinute: Double) {
    self.espeak = espeak
    self.wordsPerMinute = wordsPerMinute
  }

  /// Why espeak-ng cannot be heard here, or nil when it can: it says a silent "." (amplitude 0)
  /// to the default device; espeak-ng exits 0 even without one, but then writes an error (ALSA's
  /// "cannot find card", "error: No such file or directory") on stderr.
  public static func probe(_ espeak: Espeak) -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: espeak.path)
    p.arguments = ["-a", "0", "."]
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    do { try p.run() } catch { return "cannot run \(espeak.path): \(error)" }
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    let lines = text.split(separator: "\n").map(String.init)
    if p.terminationStatus != 0 || lines.contains(where: { $0.lowercased().contains("error") }) {
      let last = lines.last(where: { $0.lowercased().hasPrefix("error") }) ?? lines.last ?? "status \(p.terminationStatus)"
      return "no audio device (espeak-ng: \(last))"
    }
    return nil
  }

  public func say(_ text: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: espeak.path)
    p.arguments = espeak.arguments(saying: text, wpm: wordsPerMinute)
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    lock.lock()
    defer { lock.unlock() }
    if let c = current, c.isRunning { c.terminate() }
    current = (try? p.run()) != nil ? p : nil
  }

  public func stop() {
    lock.lock()
    defer { lock.unlock() }
    if let c = current, c.isRunning { c.terminate() }
    current = nil
  }
}
