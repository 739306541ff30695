import Foundation
import FuzzSupport
import Reasoning
import Session
import Testing

/// Seeded in-process fuzzing of the transcript readers over the shipped transcripts: byte flips,
/// cuts, spliced lines, extreme numbers, long and deeply nested lines, invalid UTF-8. Every case
/// must end in a transcript within the bounds or in errors, never in a crash or a hang.
/// `FUZZ_CASES` and `FUZZ_SEED` set the slice (`scripts/fuzz.sh` runs 100,000 cases).
@Suite struct FuzzTests {
  /// SplitMix64: the same cases for the same seed on every machine.
  struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let corpus: [[UInt8]] = {
    var out: [[UInt8]] = []
    for dir in ["Transcripts/scenarios", "Transcripts/recordings"] {
      let d = root.appendingPathComponent(dir).path
      for f in ((try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []).sorted() where f.hasSuffix(".jsonl") {
        if let data = FileManager.default.contents(atPath: d + "/" + f) { out.append([UInt8](data)) }
      }
    }
    return out
  }()

  static let extremes = [
    "1e308", "-1", "-5", "NaN", "1e9", "1e300", "-0", "9223372036854775807", "-9223372036854775808", "18446744073709551616",
    "0.5",
    "true", "null", "\"x\"", "[]", "{}",
  ]

  static func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
    var b = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) where !b.isEmpty {
      let pos = Int.random(in: 0..<b.count, using: &rng)
      switch Int.random(in: 0..<8, using: &rng) {
      case 0: b[pos] = UInt8.random(in: 0...255, using: &rng)
      case 1: b = Array(b.prefix(pos))
      case 2:  // splice a line of another file
        let other = corpus.randomElement(using: &rng)!
        let lines = other.split(separator: UInt8(ascii: "\n"))
        if let l = lines.randomElement(using: &rng) { b.insert(contentsOf: Array(l) + [10], at: pos) }
      case 3:  // a number replaced by an extreme value
        if let start = b[pos...].firstIndex(where: { (48...57).contains($0) }) {
          let end =
            b[start...].firstIndex { !(48...57).contains($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "e") } ?? b.count
          b.replaceSubrange(start..<end, with: Array(extremes.randomElement(using: &rng)!.utf8))
        }
      case 4:  // a line repeated
        let lineStart = b[..<pos].lastIndex(of: 10).map { $0 + 1 } ?? 0
        let lineEnd = b[pos...].firstIndex(of: 10).map { $0 + 1 } ?? b.count
        let line = Array(b[lineStart..<lineEnd])
        for _ in 0..<Int.random(in: 1...50, using: &rng) { b.insert(contentsOf: line, at: lineEnd) }
      case 5: b.insert(contentsOf: Array(repeating: UInt8(ascii: "a"), count: Int.random(in: 1...20_000, using: &rng)), at: pos)
      case 6:  // deep nesting
        let n = Int.random(in: 1...2000, using: &rng)
        b.insert(
          contentsOf: Array(repeating: UInt8(ascii: "["), count: n) + Array(repeating: UInt8(ascii: "]"), count: n), at: pos)
      default: b.insert(contentsOf: [0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80][...Int.random(in: 0...5, using: &rng)], at: pos)
      }
    }
    return b
  }

  @Test("mutated transcripts: errors or bounded transcripts, never a crash")
  func transcripts() throws {
    let env = ProcessInfo.processInfo.environment
    let cases = Int(env["FUZZ_CASES"] ?? "") ?? 3000
    let seed = UInt64(env["FUZZ_SEED"] ?? "") ?? 1
    var rng = SplitMix(state: seed)
    try #require(!Self.corpus.isEmpty)
    let watchdog = FuzzWatchdog(name: "transcripts", seed: seed)
    watchdog.start()
    defer { watchdog.stop() }
    var parsed = 0, rejected = 0
    for k in 0..<cases {
      let bytes = Self.mutate(Self.corpus.randomElement(using: &rng)!, &rng)
      watchdog.begin(k, input: bytes)
      defer { watchdog.end() }
      let data = Data(bytes)
      _ = Transcript.validateData(data, name: "fuzz")
      guard let t = try? Transcript.parse(data: data, name: "fuzz", lenient: true) else {
        rejected += 1
        continue
      }
      parsed += 1
      #expect(t.events.allSatisfy { $0.t >= 0 && $0.t <= TranscriptEvent.maxTime })
      let timeline = ReplayTimeline(events: t.events, maxGap: 3)
      #expect(zip(timeline.times, timeline.times.dropFirst()).allSatisfy { $0 <= $1 } && timeline.end.isFinite)
      for case .turn(let i, let dropped) in t.events.map(\.event) { #expect(i >= 0 && dropped >= 0) }
    }
    #expect(parsed > 0 && rejected > 0)
    print("fuzz: \(cases) transcript cases (\(watchdog.limit) s limit each), \(parsed) parsed (lenient), \(rejected) rejected")
  }

  @Test("a fuzz case past its time limit is reported with its seed and case, and its input is saved")
  func watchdogReportsAHang() throws {
    let w = FuzzWatchdog(name: "test", seed: 42, limit: 0.5)
    let start = DispatchTime.now().uptimeNanoseconds
    #expect(w.overdue(now: start + 10_000_000_000) == nil)  // no case running
    w.begin(7, input: Array("{\"type\":".utf8))
    #expect(w.overdue(now: start) == nil)
    let report = try #require(w.overdue(now: DispatchTime.now().uptimeNanoseconds + 1_000_000_000))
    #expect(report.contains("HANG in test: seed 42, case 7"), "\(report)")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-test-seed42-case7.bin").path
    #expect(FileManager.default.contents(atPath: file) == Data("{\"type\":".utf8))
    try? FileManager.default.removeItem(atPath: file)
    w.end()
    #expect(w.overdue(now: DispatchTime.now().uptimeNanoseconds + 1_000_000_000) == nil)
  }
}
