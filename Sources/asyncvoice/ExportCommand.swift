import ArgumentParser
import Foundation
import Reasoning
import Session
import Terminal

/// Exports a recording for the tools people already use: asciicast v3 or v2 (`asciinema play`),
/// WebVTT captions, and the spoken answer as a WAV file.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a recording as an asciicast (--cast), WebVTT captions (--vtt) or spoken audio (--wav).")

  @Argument(help: "Recording (.jsonl).") var file: String
  @Option(help: "Write an asciicast file here (v3; v2 with --cast-version 2).") var cast: String?
  @Option(help: "Write WebVTT captions here.") var vtt: String?
  @Option(help: "Terminal size of the cast, WIDTHxHEIGHT.") var size = "120x32"
  @Option(help: "Frames per second of the cast.") var fps: Double = 10
  @Option(help: "asciicast version of --cast: 3 (relative times, markers) or 2.") var castVersion = 3
  @Option(help: "Write the spoken answer here as a WAV file (needs espeak-ng).") var wav: String?

  func validate() throws {
    if cast == nil && vtt == nil && wav == nil {
      throw ValidationError("give --cast OUT.cast, --vtt OUT.vtt and/or --wav OUT.wav")
    }
    try OptionRanges.check("--cast-version", castVersion)
    try OptionRanges.check("--fps", fps)
    let p = size.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
    let side = Layout.minWidth...OptionRanges.maxCastSide, rows = Layout.minHeight...OptionRanges.maxCastSide
    guard p.count == 2, let w = p[0], let h = p[1], side.contains(w), rows.contains(h) else {
      throw ValidationError("--size must be \(OptionRanges.table["--size"]!.description), got \(size)")
    }
  }

  /// Frames a cast may have: a recording of hours at a high --fps is refused, not rendered for days.
  static let maxFrames = 1_000_000

  func run() throws {
    if let c = cast { checkOutputPath(c, option: "--cast") }
    if let v = vtt { checkOutputPath(v, option: "--vtt") }
    if let w = wav { checkOutputPath(w, option: "--wav") }
    let t: Transcript
    do { t = try Transcript.load(path: file, lenient: true) } catch { fail("\(error)") }
    for w in t.warnings { FileHandle.standardError.write(Data("asyncvoice: warning: \(w)\n".utf8)) }
    let frames = (t.duration + 2) * fps
    if cast != nil && frames > Double(Self.maxFrames) {
      fail(String(format: "%@ lasts %.0f s: at --fps %g that is %.0f frames, at most %d; lower --fps", file, t.duration, fps, frames, Self.maxFrames), code: 2)
    }
    do {
      if let c = cast { try castVersion == 2 ? writeCast(t, to: c) : writeCastV3(t, to: c) }
      if let v = vtt { try writeVTT(t, to: v) }
      if let w = wav { try writeWAV(t, to: w) }
    } catch {
      fail(describe(error))
    }
  }

  func writeCast(_ t: Transcript, to path: String) throws {
    let p = size.split(separator: "x").compactMap { Int($0) }
    let (w, h) = (p[0], p[1])
    var out = TranscriptEvent.line(["version": 2, "width": w, "height": h, "title": "AsyncVoice \(t.id)"]) + "\n"
    for f in Self.castFrames(t, width: w, height: h, fps: fps) {
      let arr: [Any] = [(f.t * 1000).rounded() / 1000, "o", f.ansi]
      let data = try JSONSerialization.data(withJSONObject: arr, options: [.withoutEscapingSlashes])
      out += String(decoding: data, as: UTF8.self) + "\n"
    }
    try OutputFile.write(out, to: path)
    print("wrote \(path) (asciicast v2, play with: asciinema play \(path))")
  }

  func writeVTT(_ t: Transcript, to path: String) throws {
    func ts(_ s: Double) -> String {
      let ms = Int((s * 1000).rounded())
      return String(format: "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000)
    }
    var cues: [(Double, Double, String)] = []
    // The user's words, grouped until the end of the utterance or an interjection.
    var words: [String] = []
    var start = 0.0
    let wpm = (t.header["speech_rate_wpm"] as? Double).flatMap { $0 >= 1 && $0 <= 1_000_000 ? $0 : nil } ?? 170
    var speech = SpeechClock(wordsPerMinute: wpm)
    for e in t.events {
      switch e.event {
      case .heard(let w):
        if words.isEmpty { start = e.t }
        words.append(w)
      case .endOfUtterance:
        if !words.isEmpty { cues.append((start, e.t, "User: " + words.joined(separator: " "))) }
        words = []
        speech.reset(at: e.t)
      case .interjection(let s):
        cues.append((e.t, e.t + 1.5, "User (interjects): " + s))
        _ = speech.cut(at: e.t)
        speech.reset(at: e.t)
      case .spoken(let s):
        speech.write(s, at: e.t)
        speech.flush(at: e.t)
      default: break
      }
    }
    for c in speech.chunks where !c.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      cues.append((c.start, c.end, "Assistant: " + c.text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
    cues.sort { $0.0 < $1.0 }
    var out = "WEBVTT\n\n"
    for (i, c) in cues.enumerated() { out += "\(i + 1)\n\(ts(c.0)) --> \(ts(max(c.1, c.0 + 0.2)))\n\(c.2)\n\n" }
    try OutputFile.write(out, to: path)
    print("wrote \(path) (WebVTT, \(cues.count) cues)")
  }
}
