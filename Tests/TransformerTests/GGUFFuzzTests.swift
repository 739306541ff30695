import Foundation
import FuzzSupport
import Testing
import Transformer

/// Seeded fuzzing of the GGUF loader on the three fixtures: byte flips and cuts in the header,
/// huge counts and lengths written over 8-byte fields, impossible floats, splices from another
/// fixture. Each case ends in a loaded model (which then runs a token) or a thrown error.
/// `FUZZ_CASES` / `FUZZ_SEED` set the slice (`scripts/fuzz.sh`).
@Suite struct GGUFFuzzTests {
  static let fixtures = ["tiny-llama.gguf", "tiny-qwen2.gguf", "tiny-qwen3.gguf"].compactMap {
    try? [UInt8](Data(contentsOf: Paths.fixtures.appendingPathComponent($0)))
  }
  static let bigs: [UInt64] = [.max, .max / 2, 1 << 40, 1 << 32, 1 << 31, 0, 1, 0xFFFF_FFFF]
  static let floats: [Float] = [.nan, 0, -1, .infinity, -.infinity, 1e-45, 1e30]

  static func mutate(_ input: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
    var b = input
    let header = min(b.count, 6000)  // metadata and tensor table
    for _ in 0..<Int.random(in: 1...3, using: &rng) where b.count > 16 {
      let pos = Int.random(in: 0..<min(header, b.count - 8), using: &rng)
      switch Int.random(in: 0..<5, using: &rng) {
      case 0: b[pos] = UInt8.random(in: 0...255, using: &rng)
      case 1: b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng)))
      case 2: withUnsafeBytes(of: bigs.randomElement(using: &rng)!.littleEndian) { b.replaceSubrange(pos..<(pos + 8), with: $0) }
      case 3:
        withUnsafeBytes(of: floats.randomElement(using: &rng)!.bitPattern.littleEndian) {
          b.replaceSubrange(pos..<(pos + 4), with: $0)
        }
      default:
        let other = fixtures.randomElement(using: &rng)!
        let from = Int.random(in: 0..<min(header, other.count), using: &rng)
        let n = min(Int.random(in: 1...256, using: &rng), other.count - from, b.count - pos)
        b.replaceSubrange(pos..<(pos + n), with: other[from..<(from + n)])
      }
    }
    return b
  }

  @Test("mutated GGUF files: a model that runs or an error, never a crash")
  func gguf() throws {
    let env = ProcessInfo.processInfo.environment
    let cases = Int(env["FUZZ_CASES"] ?? "") ?? 2000
    let seed = UInt64(env["FUZZ_SEED"] ?? "") ?? 1
    var rng = SeededRandom(seed: seed)
    try #require(Self.fixtures.count == 3)
    let watchdog = FuzzWatchdog(name: "gguf", seed: seed)
    watchdog.start()
    defer { watchdog.stop() }
    var loaded = 0, rejected = 0
    for k in 0..<cases {
      let b = Self.mutate(Self.fixtures.randomElement(using: &rng)!, &rng)
      watchdog.begin(k, input: b)
      defer { watchdog.end() }
      do {
        let f = try GGUFFile(bytes: b)
        let m = try Model(file: f, maxRows: 4, maxContext: 64)
        _ = try Tokenizer(file: f)
        let store = KVStore(config: m.config)
        let block = store.makeBlock("fuzz", capacity: 4)
        m.prefill([0, Int32(m.config.vocabSize - 1)], view: [block], store: store)
        loaded += 1
      } catch {
        rejected += 1
      }
    }
    #expect(rejected > 0)
    print("fuzz: \(cases) GGUF cases, \(loaded) loaded and ran, \(rejected) rejected")
  }
}
