import CKernels
import Foundation
import Kernels
import Testing
import Transformer

/// `av_argmax` on every instruction set this CPU runs against a plain loop written here: the first
/// index of the largest value, a NaN never winning, ties to the lower index.
@Suite struct ArgmaxTests {
  /// The loop the sampler used before the kernel (its semantics are the contract).
  static func reference(_ x: [Float]) -> Int {
    var best = 0
    for i in 1..<x.count where x[i] > x[best] { best = i }
    return best
  }

  static var cases: [(String, [Float])] {
    var rng = SeededRandom(seed: 7)
    func random(_ n: Int) -> [Float] { (0..<n).map { _ in Float(Double(rng.next() % 100_000) / 1000 - 50) } }
    var tie = random(49_152)
    tie[300] = 90
    tie[40_000] = 90
    tie[299] = 90  // three equal maxima in different lanes: the first wins
    var nan = random(1000)
    nan[5] = .nan
    nan[600] = .nan
    nan[7] = 99
    var nanFirst = random(100)
    nanFirst[0] = .nan
    var tail = random(1003)
    tail[1002] = 70  // in the scalar tail after the last full vector
    var allEqual = [Float](repeating: -.infinity, count: 64)
    allEqual[33] = -.infinity
    return [
      ("random 49152", random(49_152)), ("ties across lanes", tie), ("NaN inside", nan),
      ("NaN at 0", nanFirst), ("max in the tail", tail), ("all -inf", allEqual), ("short", random(5)),
      ("one", [3]), ("151936 logits", random(151_936)),
    ]
  }

  @Test("scalar argmax equals the plain loop") func scalar() { check(.scalar) }

  @Test("AVX2 argmax equals the plain loop", .enabled(if: KernelISA.avx2.isSupported, "this CPU lacks AVX2/FMA/F16C"))
  func avx2() { check(.avx2) }

  @Test(
    "AVX-512 VNNI set's argmax equals the plain loop",
    .enabled(if: KernelISA.avx512vnni.isSupported, "this CPU lacks AVX-512 F/BW/VL/VNNI"))
  func avx512vnni() { check(.avx512vnni) }

  func check(_ isa: KernelISA) {
    for (name, x) in Self.cases {
      let got = x.withUnsafeBufferPointer { av_argmax_isa(isa.rawValue, $0.baseAddress, Int32($0.count)) }
      #expect(Int(got) == Self.reference(x), "\(name) on \(isa.name)")
    }
    #expect(av_argmax_isa(isa.rawValue, nil, 0) == -1)
  }
}
