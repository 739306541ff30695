import App
import Foundation
import Reasoning
import Session
import Testing
import Transformer

/// `--tts-timing espeak`: chunk durations from espeak-ng's own WAV, and a session whose spoken
/// events carry them.
@Suite(.serialized) struct EspeakDurationsTests {
  static let espeak = Espeak.locate(path: ProcessInfo.processInfo.environment["PATH"] ?? "")
  static let available = espeak != nil

  /// A WAV of `samples` at `rate` (what espeak-ng writes: PCM mono 16-bit).
  static func wav(_ samples: [Int16], rate: Int = 22050) -> Data { WavRenderer.wavData(samples, rate: rate) }

  @Test("a WAV's duration: samples up to the last sound over the rate (leading silence kept, trailing dropped)")
  func durationOfWAV() throws {
    let s = [Int16](repeating: 0, count: 2205) + [Int16](repeating: 3000, count: 11025) + [Int16](repeating: 10, count: 6615)
    #expect(try EspeakDurations.duration(ofWAV: Self.wav(s)) == Double(2205 + 11025) / 22050)
    #expect(try EspeakDurations.duration(ofWAV: Self.wav([0, 0, 0])) == 0)
    #expect(throws: (any Error).self) { try EspeakDurations.duration(ofWAV: Data("RIFF....WAVEjunk".utf8)) }
  }

  /// espeak-ng's WAV for `text` written with `-w` (not the provider's own `--stdout` path).
  static func reference(_ text: String, wpm: Int) throws -> (samples: [Int16], rate: Int) {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("avdur-\(getpid())-\(UUID().uuidString).wav").path
    defer { unlink(out) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try #require(espeak).path)
    p.arguments = ["-s", "\(wpm)", "-w", out, "--", text]
    try p.run()
    p.waitUntilExit()
    let w = try WavRenderer.parse(try Data(contentsOf: URL(fileURLWithPath: out)))
    return (w.samples, w.rate)
  }

  @Test(
    "espeak-ng's duration of a chunk is its WAV's sample count less the trailing silence (within 10 ms), cached per text and rate",
    .enabled(if: available, "espeak-ng is not installed (apt-get install espeak-ng; scripts/setup.sh does)"),
    arguments: ["The capital of Italy is", " centimeters are in ", "500 centimeters", "Seventeen times twenty three."])
  func realEspeak(text: String) throws {
    let d = EspeakDurations(espeak: try #require(Self.espeak))
    let got = d.duration(of: text, wordsPerMinute: 170)
    let ref = try Self.reference(text, wpm: 170)
    let all = Double(ref.samples.count) / Double(ref.rate)
    var last = ref.samples.count - 1
    while last >= 0 && abs(Int(ref.samples[last])) <= 64 { last -= 1 }
    let spoken = Double(last + 1) / Double(ref.rate)
    #expect(abs(got - spoken) < 0.01, "\(text): provider \(got) s, WAV \(all) s, sound until \(spoken) s")
    #expect(got < all && all - got < 0.5, "the trailing silence dropped is espeak-ng's end pause: \(all - got) s")
    #expect(d.duration(of: text, wordsPerMinute: 170) == got && d.syntheses == 1)
    #expect(d.duration(of: text, wordsPerMinute: 340) < got && d.syntheses == 2)  // faster: another entry
    #expect(d.failures.isEmpty)
  }

  @Test("a chunk without words lasts 0 s; a failing espeak-ng falls back to words per minute and is counted")
  func fallback() {
    let broken = EspeakDurations(espeak: Espeak(path: "/bin/false"))
    #expect(broken.duration(of: "  \n", wordsPerMinute: 170) == 0)
    #expect(broken.duration(of: "one two three", wordsPerMinute: 60) == 3)
    #expect(broken.failures.count == 1)
  }

  @Test(
    "a session with the espeak-ng provider: every spoken event's duration is the provider's for its text, and the next chunk starts no earlier than its end",
    .enabled(if: available, "espeak-ng is not installed"))
  func sessionCarriesEspeakDurations() throws {
    // An engine of its own: suites run in parallel, and a session writes into its engine's cache.
    guard FileManager.default.fileExists(atPath: LivePathTests.modelPath) else { throw CancellationError() }
    let e = try Engine(path: LivePathTests.modelPath, threads: 2)
    let durations = EspeakDurations(espeak: try #require(Self.espeak))
    var o = PolicyOptions()
    o.strategy = .nothink
    o.answerBudget = 30
    let clock = VirtualClock()
    let session = ReasoningSession(engine: e, prompts: .instruct, options: o, clock: clock, speechDurations: durations)
    let runner = ScenarioRunner(session: session)
    runner.run(LivePathTests.words("What is the capital of France?", from: 0.5))
    let spoken = runner.events.compactMap { ev -> (text: String, start: Double, duration: Double)? in
      if case .spoken(let s, let start, let d) = ev.event { return (s, start, d) } else { return nil }
    }
    try #require(spoken.count >= 2)
    for s in spoken { #expect(s.duration == durations.duration(of: s.text, wordsPerMinute: 170), "\(s.text)") }
    for (a, b) in zip(spoken, spoken.dropFirst()) { #expect(b.start >= a.start + a.duration - 1e-9) }
    // Not the words-per-minute schedule: espeak-ng's lengths differ from it on real chunks.
    let wpm = WordsPerMinuteDurations()
    #expect(spoken.contains { abs($0.duration - wpm.duration(of: $0.text, wordsPerMinute: 170)) > 0.05 })
    #expect(durations.failures.isEmpty)
  }
}
