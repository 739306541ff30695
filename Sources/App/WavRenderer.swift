import Foundation
import Reasoning
import Session

/// Renders a recording's spoken answer as one mono 16-bit WAV: each spoken chunk is said by
/// espeak-ng and placed at the instant the recording's speech clock starts it, with silence
/// between chunks. A chunk is fitted into its slot (re-synthesized faster when espeak-ng's
/// speech is longer than the clock's duration, then cut at the slot's end), so the audio keeps
/// to the recording's timeline; an interjection stops the chunk being said at the cut.
public struct WavRenderer {
  /// A chunk's words and where they go: [start, end) in seconds since the recording's start.
  public struct Slot: Equatable, Sendable {
    public var text: String
    public var start: Double
    public var end: Double
  }

  public struct SynthesisFailed: Error, CustomStringConvertible {
    public let description: String
  }

  public let espeak: String
  public var wordsPerMinute: Double
  public var sampleRate = 22050

  public init(espeak: String, wordsPerMinute: Double) {
    self.espeak = espeak
    self.wordsPerMinute = wordsPerMinute
  }

  /// The recording's spoken chunks on its speech clock (as the captions time them): each chunk
  /// where its `spoken` event puts it, ending where the next starts or an interjection stops it.
  public static func slots(_ t: Transcript) -> (slots: [Slot], length: Double) {
    let speech = SpeechSchedule(t.events)
    let slots = speech.slots
    let said = speech.chunks.filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    return (slots.map { Slot(text: $0.text, start: $0.start, end: $0.end) }, max(t.duration, said.last?.end ?? 0))
  }

  /// The voice's rate for espeak-ng: the recording's speaking rate.
  public static func wordsPerMinute(_ t: Transcript) -> Double { t.speechRate }

  /// espeak-ng's speech for `text` at `wpm`, leading and trailing silence trimmed.
  func synthesize(_ text: String, wpm: Double) throws -> [Int16] {
    let wav = try Self.parse(try Espeak(path: espeak).synthesize(text, wpm: wpm))
    guard wav.rate == sampleRate else {
      throw SynthesisFailed(description: "espeak-ng wrote \(wav.rate) Hz, expected \(sampleRate)")
    }
    return Self.trimSilence(wav.samples)
  }

  static func trimSilence(_ s: [Int16], threshold: Int16 = 64) -> [Int16] {
    guard let first = s.firstIndex(where: { abs(Int($0)) > threshold }),
      let last = s.lastIndex(where: { abs(Int($0)) > threshold })
    else { return [] }
    return Array(s[first...last])
  }

  /// The whole answer: `length` seconds of samples.
  public func render(_ slots: [Slot], length: Double) throws -> [Int16] {
    let rate = Double(sampleRate)
    var out = [Int16](repeating: 0, count: Int((length * rate).rounded()))
    for s in slots {
      let room = Int(((s.end - s.start) * rate).rounded())
      guard room > 0 else { continue }
      var audio = try synthesize(s.text, wpm: wordsPerMinute)
      // Longer than its slot: say it faster (espeak-ng takes up to about 450 words per minute).
      if audio.count > room {
        let faster = min(450, wordsPerMinute * Double(audio.count) / Double(room) * 1.05)
        if faster > wordsPerMinute + 1 { audio = try synthesize(s.text, wpm: faster) }
      }
      let n = min(audio.count, room)
      let fade = min(n, Int(rate * 0.01))
      let at = Int((s.start * rate).rounded())
      if at + n > out.count { out += [Int16](repeating: 0, count: at + n - out.count) }
      for i in 0..<n {
        var v = Double(audio[i])
        if n < audio.count && i >= n - fade { v *= Double(n - i) / Double(fade) }  // cut: fade out
        out[at + i] = Int16(max(-32768, min(32767, v)))
      }
    }
    return out
  }

  /// A RIFF/WAVE file: PCM, mono, 16-bit little-endian.
  public static func wavData(_ samples: [Int16], rate: Int) -> Data {
    var d = Data()
    func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
    func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
    let bytes = UInt32(samples.count * 2)
    d.append(contentsOf: Array("RIFF".utf8)); u32(36 + bytes); d.append(contentsOf: Array("WAVE".utf8))
    d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1); u32(UInt32(rate)); u32(UInt32(rate * 2)); u16(2); u16(16)
    d.append(contentsOf: Array("data".utf8)); u32(bytes)
    samples.withUnsafeBufferPointer { buf in
      for v in buf { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
    }
    return d
  }

  /// Reads a PCM mono 16-bit WAV; the data chunk runs to the end of the file when its size is
  /// a placeholder (espeak-ng --stdout streams).
  public static func parse(_ d: Data) throws -> (rate: Int, samples: [Int16]) {
    let b = [UInt8](d)
    func u32(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24 }
    func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    guard b.count >= 12, b[0..<4].elementsEqual("RIFF".utf8), b[8..<12].elementsEqual("WAVE".utf8) else {
      throw SynthesisFailed(description: "not a WAV file")
    }
    var i = 12
    var rate = 0
    while i + 8 <= b.count {
      let id = String(decoding: b[i..<i + 4], as: UTF8.self)
      let size = u32(i + 4)
      if id == "fmt " {
        guard u16(i + 8) == 1, u16(i + 10) == 1, u16(i + 22) == 16 else {
          throw SynthesisFailed(description: "WAV is not PCM mono 16-bit")
        }
        rate = u32(i + 12)
      } else if id == "data" {
        let end = min(b.count, i + 8 + size)  // a placeholder size runs to the end of the file
        var s = [Int16]()
        s.reserveCapacity((end - i - 8) / 2)
        var j = i + 8
        while j + 1 < end { s.append(Int16(bitPattern: UInt16(b[j]) | UInt16(b[j + 1]) << 8)); j += 2 }
        return (rate, s)
      }
      i += 8 + size + (size & 1)
    }
    throw SynthesisFailed(description: "WAV has no data chunk")
  }
}
