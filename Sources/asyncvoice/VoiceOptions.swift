import App
import ArgumentParser
import Foundation
import Reasoning

/// Where a spoken chunk's duration comes from (`--tts-timing`).
enum TTSTiming: String, ExpressibleByArgument, CaseIterable {
  /// Words at the speaking rate (`--wpm`), as the paper's `compute_delays`.
  case wpm
  /// espeak-ng's own synthesis of the chunk at that rate.
  case espeak
}

/// espeak-ng on the caller's PATH, or nil.
func locateEspeak() -> Espeak? {
  Espeak.locate(path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
}

extension EngineOptions {
  /// The duration provider `--tts-timing` names: one per run, so its cache serves every session.
  /// espeak without espeak-ng on PATH exits 1 saying so.
  func speechDurations() -> any SpeechDurations {
    switch ttsTiming {
    case .wpm: return WordsPerMinuteDurations()
    case .espeak:
      guard let espeak = locateEspeak() else { fail("--tts-timing espeak: \(Espeak.Missing())") }
      return EspeakDurations(espeak: espeak)
    }
  }

  /// Says after a run how many chunk durations fell back to words per minute, and why.
  func reportDurationFailures(_ d: any SpeechDurations) {
    guard let e = d as? EspeakDurations, let first = e.failures.first else { return }
    FileHandle.standardError.write(
      Data("asyncvoice: warning: --tts-timing espeak: \(e.failures.count) chunk(s) timed by --wpm instead (\(first))\n".utf8))
  }
}

/// The voice of `--voice`: espeak-ng playing each chunk on the default audio device, or nil and
/// a one-line warning when espeak-ng or an audio device is missing (the run goes on silent).
func makeVoice(wordsPerMinute: Double) -> Voice? {
  guard let espeak = locateEspeak() else {
    warn("--voice: \(Espeak.Missing()); running without a voice")
    return nil
  }
  if let reason = EspeakPlayer.probe(espeak) {
    warn("--voice: \(reason); running without a voice")
    return nil
  }
  return Voice(player: EspeakPlayer(espeak: espeak, wordsPerMinute: wordsPerMinute))
}

func warn(_ message: String) {
  FileHandle.standardError.write(Data("asyncvoice: warning: \(message)\n".utf8))
}
