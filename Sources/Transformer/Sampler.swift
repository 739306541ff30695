import CKernels
import Foundation

/// A small seeded generator (SplitMix64): the same seed gives the same tokens on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64
  public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Sampling options; temperature 0 means greedy (argmax).
public struct SamplerOptions: Sendable, Equatable {
  public var temperature: Float = 0
  public var topK: Int = 0
  public var topP: Float = 1
  public var minP: Float = 0
  public var repetitionPenalty: Float = 1
  public var repetitionWindow: Int = 64
  public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, minP: Float = 0, repetitionPenalty: Float = 1) {
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
    self.minP = minP
    self.repetitionPenalty = repetitionPenalty
  }
}

/// Picks the next token from logits: forbidden-token mask, repetition penalty, then greedy or
/// temperature with top-k / top-p / min-p.
public struct Sampler: Sendable {
  public var options: SamplerOptions
  public var rng: SeededRandom
  /// Tokens never chosen (the paper subtracts 100 from their logits; we exclude them outright).
  public var forbidden: Set<Int32>
  /// How often a forbidden token would otherwise have won.
  public private(set) var blockedCount = 0

  public init(options: SamplerOptions = .init(), seed: UInt64 = 0, forbidden: Set<Int32> = []) {
    self.options = options
    rng = SeededRandom(seed: seed)
    self.forbidden = forbidden
  }

  public mutating func sample(_ logits: UnsafeMutableBufferPointer<Float>, recent: ArraySlice<Int32> = []) -> Int32 {
    if !forbidden.isEmpty {
      if let top = Self.argmax(logits), forbidden.contains(top) { blockedCount += 1 }
      for t in forbidden where Int(t) < logits.count { logits[Int(t)] = -.infinity }
    }
    if options.repetitionPenalty != 1 {
      // Each distinct recent token once; a scan instead of a Set keeps the token loop allocation-free.
      let window = recent.suffix(options.repetitionWindow)
      for (i, t) in zip(window.indices, window) where Int(t) < logits.count && !window[window.startIndex..<i].contains(t) {
        let l = logits[Int(t)]
        logits[Int(t)] = l > 0 ? l / options.repetitionPenalty : l * options.repetitionPenalty
      }
    }
    if options.temperature <= 0 { return Self.argmax(logits) ?? 0 }
    var cands: [(Int32, Float)] = []
    cands.reserveCapacity(logits.count)
    for (i, l) in logits.enumerated() where l > -.infinity { cands.append((Int32(i), l / options.temperature)) }
    cands.sort { $0.1 > $1.1 }
    if options.topK > 0 && cands.count > options.topK { cands.removeLast(cands.count - options.topK) }
    let mx = cands.first?.1 ?? 0
    var probs = cands.map { expf($0.1 - mx) }
    var sum = probs.reduce(0, +)
    if options.minP > 0 {
      let cut = options.minP  // relative to the top probability (which is 1 after max-subtraction)
      let keep = probs.prefix { $0 >= cut }.count
      probs.removeLast(probs.count - max(keep, 1))
      sum = probs.reduce(0, +)
    }
    if options.topP < 1 {
      var acc: Float = 0
      var keep = 0
      for p in probs {
        acc += p / sum
        keep += 1
        if acc >= options.topP { break }
      }
      probs.removeLast(probs.count - keep)
      sum = probs.reduce(0, +)
    }
    var u = Float(Double(rng.next() >> 11) / Double(1 << 53)) * sum
    for (i, p) in probs.enumerated() {
      u -= p
      if u <= 0 { return cands[i].0 }
    }
    return cands[probs.count - 1].0
  }

  /// The first index of the largest logit (a NaN never wins), vectorized (`av_argmax`): the
  /// sampler reads every row's 32k–152k logits once or twice per step.
  public static func argmax(_ l: UnsafeMutableBufferPointer<Float>) -> Int32? {
    guard let base = l.baseAddress, !l.isEmpty else { return nil }
    return av_argmax(base, Int32(l.count))
  }
}
