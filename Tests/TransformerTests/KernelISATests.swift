import CKernels
import Foundation
import Kernels
import Testing
import Transformer

/// Every instruction set this CPU runs against the scalar reference loop, float and 8-bit
/// activations. Sets the CPU lacks are reported as skipped tests, with the reason.
@Suite struct KernelISATests {
  static let types: [GGMLType] = [.f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]

  @Test("AVX2 kernels equal the scalar reference", .enabled(if: KernelISA.avx2.isSupported, "this CPU lacks AVX2/FMA/F16C"))
  func avx2() throws { try check(.avx2) }

  @Test("AVX-VNNI kernels equal the scalar reference", .enabled(if: KernelISA.avxvnni.isSupported, "this CPU lacks AVX-VNNI"))
  func avxvnni() throws { try check(.avxvnni) }

  @Test(
    "AVX-512 VNNI kernels equal the scalar reference",
    .enabled(if: KernelISA.avx512vnni.isSupported, "this CPU lacks AVX-512 F/BW/VL/VNNI"))
  func avx512vnni() throws { try check(.avx512vnni) }

  @Test("the scalar set is always available and is the reference itself")
  func scalar() throws {
    #expect(KernelISA.scalar.isSupported)
    try check(.scalar)
  }

  /// Rows 1…3 (decode), 5, and 11 (more than one pass of the K-quant kernels' 8 rows).
  func check(_ isa: KernelISA) throws {
    let file = try GGUFFile(path: Paths.fixture("dequant.gguf"))
    for type in Self.types {
      let t = try #require(file.tensors["t.\(type.name.lowercased())"])
      let m = QuantMatrix(type: Int32(type.rawValue), data: file.pointer(t), rows: t.dims[1], cols: t.dims[0])
      var w = [Float](repeating: 0, count: m.rows * m.cols)
      for o in 0..<m.rows { w.withUnsafeMutableBufferPointer { m.dequantizeRow(o, into: $0.baseAddress! + o * m.cols) } }
      for R in [1, 2, 3, 5, 11] {
        var rng = SeededRandom(seed: UInt64(11 + R))
        let x = (0..<(R * m.cols)).map { _ in Float(Double(rng.next() % 2000) / 1000 - 1) }
        // The plain reference loop, in double.
        var ref = [Float](repeating: 0, count: R * m.rows)
        for r in 0..<R {
          for o in 0..<m.rows {
            var s = 0.0
            for i in 0..<m.cols { s += Double(w[o * m.cols + i]) * Double(x[r * m.cols + i]) }
            ref[r * m.rows + o] = Float(s)
          }
        }
        for fast in [false, true] {
          var y = [Float](repeating: .nan, count: R * m.rows)
          let ran = av_matmul_range_isa(
            isa.rawValue, Int32(type.rawValue), m.data, m.rowBytes, 0, Int32(m.rows), Int32(m.cols), x,
            Int32(m.cols), Int32(R), &y, Int32(m.rows), fast ? 1 : 0)
          #expect(ran == 1)
          // 8-bit activations: rounding of x is at most 1/254 of the largest |x| of its block (32
          // values, or 256 for the K-quants), so the error is at most Σ|w|·max|x|/254; allow twice.
          let blk = [GGMLType.q4_K, .q6_K].contains(type) ? 256 : 32
          for r in 0..<R {
            for o in 0..<m.rows {
              let i = r * m.rows + o
              var bound = 1e-4 * max(1, abs(ref[i]))
              if fast {
                bound += 1e-3
                for b in 0..<(m.cols / blk) {
                  let xm = (0..<blk).map { abs(x[r * m.cols + blk * b + $0]) }.max()!
                  bound += (0..<blk).reduce(Float(0)) { $0 + abs(w[o * m.cols + blk * b + $1]) } * xm / 127
                }
              }
              #expect(abs(y[i] - ref[i]) <= bound, "\(isa.name) \(type) fast=\(fast) R=\(R) [\(r),\(o)]: \(y[i]) vs \(ref[i])")
            }
          }
        }
      }
    }
  }
}
