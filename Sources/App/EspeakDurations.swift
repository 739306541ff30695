import Foundation
import Reasoning

/// Each chunk's duration from espeak-ng's own synthesis (`--tts-timing espeak`): the chunk is
/// synthesized to WAV and its samples are counted up to the last sound. The silence espeak-ng
/// appends to every utterance (0.31–0.37 s, measured) is left out: a 5-token chunk is not the
/// end of an utterance, and the next chunk follows at once; pauses inside the chunk (commas,
/// sentence ends) are espeak-ng's and stay. Durations are cached per (text, rate), so a repeated
/// chunk costs one synthesis; a failed synthesis falls back to words per minute and is counted.
///
/// Threads: any (the cache is under a lock).
public final class EspeakDurations: SpeechDurations, @unchecked Sendable {
  public let espeak: Espeak
  private let fallback = WordsPerMinuteDurations()
  private struct Key: Hashable {
    let text: String
    let wpm: Double
  }
  private var cache: [Key: Double] = [:]
  private var failed: [String] = []
  private let lock = NSLock()

  public init(espeak: Espeak) { self.espeak = espeak }

  /// Why syntheses failed (each fell back to words per minute); the executable reports them.
  public var failures: [String] {
    lock.lock()
    defer { lock.unlock() }
    return failed
  }

  /// Syntheses run so far (cache misses).
  public var syntheses: Int {
    lock.lock()
    defer { lock.unlock() }
    return cache.count
  }

  public func duration(of text: String, wordsPerMinute: Double) -> Double {
    let key = Key(text: text, wpm: wordsPerMinute)
    lock.lock()
    if let d = cache[key] {
      lock.unlock()
      return d
    }
    lock.unlock()
    let d: Double
    if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      d = 0  // nothing to say
    } else {
      do {
        d = try Self.duration(ofWAV: try espeak.synthesize(text, wpm: wordsPerMinute))
      } catch {
        lock.lock()
        failed.append("\(error)")
        lock.unlock()
        return fallback.duration(of: text, wordsPerMinute: wordsPerMinute)
      }
    }
    lock.lock()
    cache[key] = d
    lock.unlock()
    return d
  }

  /// Seconds from the start of a WAV file to its last sample louder than `threshold` (the
  /// trailing silence dropped, the leading kept: it is heard as part of the chunk).
  public static func duration(ofWAV data: Data, threshold: Int16 = 64) throws -> Double {
    let wav = try WavRenderer.parse(data)
    guard wav.rate > 0 else { throw Espeak.Failed(description: "WAV has no sample rate") }
    guard let last = wav.samples.lastIndex(where: { abs(Int($0)) > Int(threshold) }) else { return 0 }
    return Double(last + 1) / Double(wav.rate)
  }
}
