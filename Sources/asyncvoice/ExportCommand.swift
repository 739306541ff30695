import App
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
      fail(
        String(
          format: "%@ lasts %.0f s: at --fps %g that is %.0f frames, at most %d; lower --fps", file, t.duration, fps, frames,
          Self.maxFrames), code: 2)
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
    for f in CastFrames.frames(t, width: w, height: h, fps: fps) {
      let arr: [Any] = [(f.t * 1000).rounded() / 1000, "o", f.ansi]
      let data = try JSONSerialization.data(withJSONObject: arr, options: [.withoutEscapingSlashes])
      out += String(decoding: data, as: UTF8.self) + "\n"
    }
    try OutputFile.write(out, to: path)
    print("wrote \(path) (asciicast v2, play with: asciinema play \(path))")
  }

  func writeVTT(_ t: Transcript, to path: String) throws {
    let captions = Captions(t)
    try OutputFile.write(captions.webVTT, to: path)
    print("wrote \(path) (WebVTT, \(captions.cues.count) cues)")
  }

  /// Writes an asciicast v3 file with markers at probes, mode switches, interjections and turns.
  func writeCastV3(_ t: Transcript, to path: String) throws {
    let p = size.split(separator: "x").compactMap { Int($0) }
    var cast = AsciicastV3Writer(cols: p[0], rows: p[1], title: "AsyncVoice \(t.id)")
    for f in CastFrames.frames(t, width: p[0], height: p[1], fps: fps) { cast.output(f.ansi, at: f.t) }
    let markers = AsciicastV3Writer.markers(for: t.events)
    for m in markers { cast.marker(m.label, at: m.t) }
    try OutputFile.write(cast.encoded(), to: path)
    print("wrote \(path) (asciicast v3, \(markers.count) markers; play with: asciinema play \(path))")
  }

  /// Renders the recording's spoken answer with espeak-ng (exit 1 with a clear message if missing).
  func writeWAV(_ t: Transcript, to path: String) throws {
    let search = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    guard let espeak = Espeak.locate(path: search) else { fail("\(Espeak.Missing())") }
    let (slots, length) = WavRenderer.slots(t)
    let r = WavRenderer(espeak: espeak.path, wordsPerMinute: WavRenderer.wordsPerMinute(t))
    let samples: [Int16]
    do { samples = try r.render(slots, length: length) } catch { fail("\(error)") }
    try OutputFile.write(WavRenderer.wavData(samples, rate: r.sampleRate), to: path)
    print("wrote \(path) (WAV, \(slots.count) chunks, " + String(format: "%.2f s)", Double(samples.count) / Double(r.sampleRate)))
  }
}
