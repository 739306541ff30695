import CKernels
import Foundation
import Kernels
import Testing
import Transformer

/// The prefill GEMMs (16-row repacked tiles on AVX-512 VNNI, 8-row tiles of the K-quants on AVX2 and
/// AVX-VNNI, from 6 activation rows): the fixture's
/// matrices have 2 rows, too few for a tile, so these are random blocks of 40 rows (two tiles and 8 rows left to the multi-row kernel) checked against
/// the plain reference loop with KernelISATests' bound, and against the multi-row kernels.
@Suite struct KernelGemmTests {
  /// Random blocks with small positive f16 scales (random bytes there could be inf or NaN).
  static func randomMatrix(_ type: GGMLType, rows: Int, cols: Int, seed: UInt64) -> [UInt8] {
    var rng = SeededRandom(seed: seed)
    let nb = cols / type.blockSize, bb = type.blockBytes
    var data = (0..<(rows * nb * bb)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    for b in 0..<(rows * nb) {
      let d = Float16(Float(1 + rng.next() % 100) / 2000).bitPattern, m = Float16(Float(1 + rng.next() % 100) / 4000).bitPattern
      let at = b * bb + (type == .q6_K ? 208 : 0)  // the f16 scale (and min) of each block
      data[at] = UInt8(d & 0xff)
      data[at + 1] = UInt8(d >> 8)
      if [GGMLType.q4_K, .q4_1, .q5_1].contains(type) {
        data[at + 2] = UInt8(m & 0xff)
        data[at + 3] = UInt8(m >> 8)
      }
    }
    return data
  }

  /// The plain reference loop in double for one weight row and one activation row, and the bound
  /// of KernelISATests: 1e-3 plus the 8-bit rounding of each activation block (at most 1/254 of
  /// its largest |x|) times Σ|w| over the block, allowed twice.
  static func reference(_ w: [Float], _ x: [Float], weightRow o: Int, activationRow r: Int, cols: Int, block: Int)
    -> (value: Double, bound: Float)
  {
    var s = 0.0, bound: Float = 1e-3
    for i in 0..<cols { s += Double(w[o * cols + i]) * Double(x[r * cols + i]) }
    for b in 0..<(cols / block) {
      let xm = (0..<block).map { abs(x[r * cols + block * b + $0]) }.max()!
      bound += (0..<block).reduce(Float(0)) { $0 + abs(w[o * cols + block * b + $1]) } * xm / 127
    }
    return (s, bound)
  }

  @Test(
    "the GEMMs equal the reference loop and the multi-row kernels",
    .enabled(if: KernelISA.avx512vnni.isSupported, "this CPU lacks AVX-512 F/BW/VL/VNNI"))
  func gemm() { gemm(isa: .avx512vnni, types: [.q4_K, .q6_K, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0], rows: 40) }

  /// The 256-bit K-quant GEMMs (8-row tiles): 44 rows are five tiles and 4 rows left to the
  /// multi-row kernel.
  @Test(
    "the AVX-VNNI K-quant GEMM equals the reference loop and the multi-row kernels",
    .enabled(if: KernelISA.avxvnni.isSupported, "this CPU lacks AVX-VNNI"))
  func gemmAVXVNNI() { gemm(isa: .avxvnni, types: [.q4_K, .q6_K], rows: 44) }

  @Test(
    "the AVX2 K-quant GEMM equals the reference loop and the multi-row kernels",
    .enabled(if: KernelISA.avx2.isSupported, "this CPU lacks AVX2/FMA/F16C"))
  func gemmAVX2() { gemm(isa: .avx2, types: [.q4_K, .q6_K], rows: 44) }

  /// The largest integer sums the GEMMs make: every weight at its top (Q4_K nibbles 15 under
  /// six-bit scales 63, Q6_K 63) against activations all +1 or all -1 (8-bit ±127, exact), so
  /// that AVX2's 16-bit sums (8 product pairs per Q4_K sub-block, 2 per Q6_K step) are at their
  /// bound; one more pair in a 16-bit sum would wrap. Every GEMM this CPU runs.
  @Test("the GEMMs' integer sums at their bound (weights at their top, activations ±1)")
  func gemmAtTheBound() throws {
    let isas = [KernelISA.avx2, .avxvnni, .avx512vnni].filter(\.isSupported)
    try #require(!isas.isEmpty, "no vector instruction set here")
    let rows = 16, cols = 512, R = 8
    for type in [GGMLType.q4_K, .q6_K] {
      let nb = cols / 256, bb = type.blockBytes
      var bytes = [UInt8](repeating: 0xFF, count: rows * nb * bb)
      let d = Float16(0.01).bitPattern
      for b in 0..<(rows * nb) {
        let at = b * bb + (type == .q6_K ? 208 : 0)
        bytes[at] = UInt8(d & 0xff)
        bytes[at + 1] = UInt8(d >> 8)
        if type == .q4_K {  // dmin
          bytes[at + 2] = UInt8(d & 0xff)
          bytes[at + 3] = UInt8(d >> 8)
        } else {
          for j in 0..<16 { bytes[b * bb + 192 + j] = 100 }  // int8 scales
        }
      }
      try bytes.withUnsafeBytes { raw in
        let m = QuantMatrix(type: Int32(type.rawValue), data: raw.baseAddress!, rows: rows, cols: cols)
        var w = [Float](repeating: 0, count: rows * cols)
        for o in 0..<rows { w.withUnsafeMutableBufferPointer { m.dequantizeRow(o, into: $0.baseAddress! + o * cols) } }
        try #require(w.allSatisfy { $0.isFinite })
        for sign in [Float(1), -1] {
          let x = [Float](repeating: sign, count: R * cols)
          for isa in isas {
            var y = [Float](repeating: .nan, count: R * rows)
            #expect(
              av_matmul_range_isa(
                isa.rawValue, Int32(type.rawValue), m.data, m.rowBytes, 0, Int32(rows), Int32(cols), x, Int32(cols),
                Int32(R), &y, Int32(rows), 1) == 1)
            for r in 0..<R {
              for o in 0..<rows {
                let want = (0..<cols).reduce(0.0) { $0 + Double(w[o * cols + $1]) * Double(sign) }
                #expect(
                  abs(Double(y[r * rows + o]) - want) <= 1e-4 * max(1, abs(want)),
                  "\(isa.name) \(type) x=\(sign) [\(r),\(o)]: \(y[r * rows + o]) vs \(want)")
              }
            }
          }
        }
      }
    }
  }

  func gemm(isa: KernelISA, types: [GGMLType], rows: Int) {
    let cols = 512
    for type in types {
      let blk = type.blockSize
      let bytes = Self.randomMatrix(type, rows: rows, cols: cols, seed: UInt64(type.rawValue))
      bytes.withUnsafeBytes { raw in
        let m = QuantMatrix(type: Int32(type.rawValue), data: raw.baseAddress!, rows: rows, cols: cols)
        var w = [Float](repeating: 0, count: rows * cols)
        for o in 0..<rows { w.withUnsafeMutableBufferPointer { m.dequantizeRow(o, into: $0.baseAddress! + o * cols) } }
        #expect(w.allSatisfy { $0.isFinite })
        for R in [4, 6, 7, 16, 33] {
          var rng = SeededRandom(seed: UInt64(100 + R))
          let x = (0..<(R * cols)).map { _ in Float(Double(rng.next() % 2000) / 1000 - 1) }
          var y = [Float](repeating: .nan, count: R * rows)
          let ran = av_matmul_range_isa(
            isa.rawValue, Int32(type.rawValue), m.data, m.rowBytes, 0, Int32(rows), Int32(cols), x,
            Int32(cols), Int32(R), &y, Int32(rows), 1)
          #expect(ran == 1)
          // The multi-row kernels, 3 activation rows at a time (below both GEMMs' thresholds).
          var multi = [Float](repeating: .nan, count: R * rows)
          for r0 in stride(from: 0, to: R, by: 3) {
            let n = min(3, R - r0)
            x.withUnsafeBufferPointer { xp in
              multi.withUnsafeMutableBufferPointer { yp in
                _ = av_matmul_range_isa(
                  isa.rawValue, Int32(type.rawValue), m.data, m.rowBytes, 0, Int32(rows), Int32(cols),
                  xp.baseAddress! + r0 * cols, Int32(cols), Int32(n), yp.baseAddress! + r0 * rows, Int32(rows), 1)
              }
            }
          }
          for r in 0..<R {
            for o in 0..<rows {
              let (s, bound) = Self.reference(w, x, weightRow: o, activationRow: r, cols: cols, block: blk)
              let i = r * rows + o
              #expect(abs(y[i] - Float(s)) <= bound, "\(isa.name) \(type) R=\(R) [\(r),\(o)]: \(y[i]) vs \(s)")
              // Same 8-bit activations and integer sums; only the float order of the scales differs.
              #expect(
                abs(y[i] - multi[i]) <= 1e-4 * max(1, abs(multi[i])),
                "\(isa.name) \(type) R=\(R) [\(r),\(o)]: \(y[i]) vs multi-row \(multi[i])")
            }
          }
        }
      }
    }
  }

  /// The decode kernels of the 32-value types take four weight rows at a time on AVX-512 VNNI (one
  /// register holds four rows' halves); 42 rows leave two to the one-row kernel. Every activation
  /// count of a decode step (1…5, one and two passes of four) against the plain reference loop.
  @Test(
    "the four-row decode kernels equal the reference loop",
    .enabled(if: KernelISA.avx512vnni.isSupported, "this CPU lacks AVX-512 F/BW/VL/VNNI"))
  func fourRows() {
    let rows = 42, cols = 256
    for type in [GGMLType.q4_0, .q4_1, .q5_0, .q5_1, .q8_0] {
      let bytes = Self.randomMatrix(type, rows: rows, cols: cols, seed: UInt64(50 + type.rawValue))
      bytes.withUnsafeBytes { raw in
        let m = QuantMatrix(type: Int32(type.rawValue), data: raw.baseAddress!, rows: rows, cols: cols)
        var w = [Float](repeating: 0, count: rows * cols)
        for o in 0..<rows { w.withUnsafeMutableBufferPointer { m.dequantizeRow(o, into: $0.baseAddress! + o * cols) } }
        for R in 1...5 {
          var rng = SeededRandom(seed: UInt64(200 + R))
          let x = (0..<(R * cols)).map { _ in Float(Double(rng.next() % 2000) / 1000 - 1) }
          var y = [Float](repeating: .nan, count: R * rows)
          let ran = av_matmul_range_isa(
            KernelISA.avx512vnni.rawValue, Int32(type.rawValue), m.data, m.rowBytes, 0, Int32(rows), Int32(cols), x,
            Int32(cols), Int32(R), &y, Int32(rows), 1)
          #expect(ran == 1)
          // The AVX2 kernels: the same 8-bit activations and integer sums, one weight row at a time.
          var one = [Float](repeating: .nan, count: R * rows)
          _ = av_matmul_range_isa(
            KernelISA.avx2.rawValue, Int32(type.rawValue), m.data, m.rowBytes, 0, Int32(rows), Int32(cols), x,
            Int32(cols), Int32(R), &one, Int32(rows), 1)
          for r in 0..<R {
            for o in 0..<rows {
              let i = r * rows + o
              #expect(
                abs(y[i] - one[i]) <= 1e-4 * max(1, abs(one[i])), "\(type) R=\(R) [\(r),\(o)]: \(y[i]) vs one-row \(one[i])")
              let (s, bound) = Self.reference(w, x, weightRow: o, activationRow: r, cols: cols, block: 32)
              #expect(abs(y[r * rows + o] - Float(s)) <= bound, "\(type) R=\(R) [\(r),\(o)]: \(y[r * rows + o]) vs \(s)")
            }
          }
        }
      }
    }
  }

  /// Weights repacked at load (`av_pack`, 16 rows interleaved) through the packed kernel of
  /// every instruction set this CPU runs (AVX-512 VNNI: 512-bit, AVX-VNNI and AVX2: two 256-bit
  /// halves): 40 rows are two packed groups and 8 rows left to the file layout; the range [3, 37)
  /// starts and ends inside a group (those rows too from the file layout). Activation counts of
  /// decode steps and prefill (one and several register tiles), against the reference loop and
  /// the same set's kernels on the file layout.
  @Test(
    "AVX-512 VNNI: the packed kernels equal the reference loop and the file-layout kernels",
    .enabled(if: KernelISA.avx512vnni.isSupported, "this CPU lacks AVX-512 F/BW/VL/VNNI"))
  func packedAVX512() { packed(isa: .avx512vnni) }

  @Test(
    "AVX-VNNI: the packed kernels equal the reference loop and the file-layout kernels",
    .enabled(if: KernelISA.avxvnni.isSupported, "this CPU lacks AVX-VNNI"))
  func packedAVXVNNI() { packed(isa: .avxvnni) }

  @Test(
    "AVX2: the packed kernels equal the reference loop and the file-layout kernels",
    .enabled(if: KernelISA.avx2.isSupported, "this CPU lacks AVX2/FMA/F16C"))
  func packedAVX2() { packed(isa: .avx2) }

  func packed(isa: KernelISA) {
    let rows = 40, cols = 320
    for type in [GGMLType.q4_0, .q4_1, .q5_0, .q8_0] {
      let bytes = Self.randomMatrix(type, rows: rows, cols: cols, seed: UInt64(70 + type.rawValue))
      bytes.withUnsafeBytes { raw in
        let m = QuantMatrix(type: Int32(type.rawValue), data: raw.baseAddress!, rows: rows, cols: cols)
        let n = av_packed_bytes(m.type, Int32(rows), Int32(cols))
        #expect(n == 2 * (cols / 32) * [.q8_0: 576, .q5_0: 384][type, default: 320])
        let packed = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 64)
        defer { packed.deallocate() }
        av_pack(m.type, m.data, m.rowBytes, Int32(rows), Int32(cols), packed)
        var w = [Float](repeating: 0, count: rows * cols)
        for o in 0..<rows { w.withUnsafeMutableBufferPointer { m.dequantizeRow(o, into: $0.baseAddress! + o * cols) } }
        for (R, o0, o1) in [(1, 0, 40), (2, 3, 37), (3, 0, 40), (5, 16, 32), (9, 0, 40), (17, 3, 37)] {
          var rng = SeededRandom(seed: UInt64(300 + R))
          let x = (0..<(R * cols)).map { _ in Float(Double(rng.next() % 2000) / 1000 - 1) }
          var y = [Float](repeating: .nan, count: R * rows)
          let ran = av_matmul_packed_range_isa(
            isa.rawValue, m.type, m.data, packed, m.rowBytes, Int32(o0), Int32(o1), Int32(cols), x, Int32(cols), Int32(R), &y,
            Int32(rows))
          #expect(ran == 1)
          var file = [Float](repeating: .nan, count: R * rows)
          _ = av_matmul_range_isa(
            isa.rawValue, m.type, m.data, m.rowBytes, Int32(o0), Int32(o1), Int32(cols), x, Int32(cols),
            Int32(R), &file, Int32(rows), 1)
          for r in 0..<R {
            for o in 0..<rows {
              let i = r * rows + o
              guard o >= o0 && o < o1 else {
                #expect(y[i].isNaN, "\(type) R=\(R): row \(o) outside [\(o0), \(o1)) was written")
                continue
              }
              let (s, bound) = Self.reference(w, x, weightRow: o, activationRow: r, cols: cols, block: 32)
              #expect(abs(y[i] - Float(s)) <= bound, "\(isa.name) \(type) R=\(R) [\(r),\(o)]: \(y[i]) vs \(s)")
              #expect(
                abs(y[i] - file[i]) <= 1e-4 * max(1, abs(file[i])),
                "\(type) R=\(R) [\(r),\(o)]: \(y[i]) vs file layout \(file[i])")
            }
          }
        }
      }
    }
  }
}
