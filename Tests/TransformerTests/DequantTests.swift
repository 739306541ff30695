import CKernels
import Foundation
import Kernels
import Testing
import Transformer

@Suite struct DequantTests {
  static let types: [GGMLType] = [.f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]

  @Test("dequantizers match gguf.quants.dequantize", arguments: types)
  func dequantMatchesPython(_ type: GGMLType) throws {
    let file = try GGUFFile(path: Paths.fixture("dequant.gguf"))
    let expected = try #require((try loadJSON("dequant.json") as? [String: [Double]])?[type.name])
    let t = try #require(file.tensors["t.\(type.name.lowercased())"])
    #expect(t.type == type)
    let m = QuantMatrix(type: Int32(type.rawValue), data: file.pointer(t), rows: t.dims[1], cols: t.dims[0])
    var out = [Float](repeating: 0, count: m.cols)
    for r in 0..<m.rows {
      out.withUnsafeMutableBufferPointer { m.dequantizeRow(r, into: $0.baseAddress!) }
      for c in 0..<m.cols { #expect(out[c] == Float(expected[r * m.cols + c]), "\(type) [\(r),\(c)]") }
    }
  }

  @Test("SIMD matmul kernels equal the scalar reference loop", arguments: types, [1, 2, 3, 5])
  func simdEqualsScalar(_ type: GGMLType, rows R: Int) throws {
    let file = try GGUFFile(path: Paths.fixture("dequant.gguf"))
    let t = try #require(file.tensors["t.\(type.name.lowercased())"])
    let m = QuantMatrix(type: Int32(type.rawValue), data: file.pointer(t), rows: t.dims[1], cols: t.dims[0])
    var rng = SeededRandom(seed: 7)
    let x = (0..<(R * m.cols)).map { _ in Float(Double(rng.next() % 2000) / 1000 - 1) }
    var fast = [Float](repeating: 0, count: R * m.rows)
    var slow = fast
    Matmul.multiply(m, x: x, ldx: m.cols, rows: R, y: &fast, ldy: m.rows, scratch: nil, exact: true)
    av_matmul_range_generic(
      Int32(type.rawValue), m.data, m.rowBytes, 0, Int32(m.rows), Int32(m.cols), x, Int32(m.cols), Int32(R), &slow, Int32(m.rows))
    for i in 0..<fast.count { #expect(abs(fast[i] - slow[i]) <= 1e-4 * max(1, abs(slow[i])), "\(type) R=\(R) [\(i)]") }
    // 8-bit activations: within the quantization error of x (≈ 0.4 % of the row's scale).
    var q8 = [Float](repeating: 0, count: R * m.rows)
    Matmul.multiply(m, x: x, ldx: m.cols, rows: R, y: &q8, ldy: m.rows, scratch: nil, exact: false)
    // Bound: 8-bit rounding of x is at most 1/254 of each block's largest |x|, so the error of
    // an output is at most Σ|w|·max|x_block|/254; allow twice that.
    var w = [Float](repeating: 0, count: m.cols)
    for o in 0..<m.rows {
      w.withUnsafeMutableBufferPointer { m.dequantizeRow(o, into: $0.baseAddress!) }
      for r in 0..<R {
        var bound: Float = 1e-3
        for b in 0..<(m.cols / 32) {
          let xm = (0..<32).map { abs(x[r * m.cols + 32 * b + $0]) }.max()!
          bound += (0..<32).reduce(Float(0)) { $0 + abs(w[32 * b + $1]) } * xm / 127
        }
        let i = r * m.rows + o
        #expect(abs(q8[i] - slow[i]) <= bound, "\(type) q8 R=\(R) [\(i)] bound \(bound)")
      }
    }
  }

  @Test func blasPathEqualsKernel() throws {
    let file = try GGUFFile(path: Paths.fixture("dequant.gguf"))
    let t = try #require(file.tensors["t.q4_k"])
    let m = QuantMatrix(type: Int32(t.type.rawValue), data: file.pointer(t), rows: t.dims[1], cols: t.dims[0])
    let R = Matmul.blasMinRows + 4  // takes the sgemm path
    var rng = SeededRandom(seed: 9)
    let x = (0..<(R * m.cols)).map { _ in Float(Double(rng.next() % 2000) / 1000 - 1) }
    var blas = [Float](repeating: 0, count: R * m.rows)
    var kern = blas
    var scratch = [Float](repeating: 0, count: Matmul.scratchSize(maxCols: m.cols, threads: 64))
    Matmul.multiply(m, x: x, ldx: m.cols, rows: R, y: &blas, ldy: m.rows, scratch: &scratch)
    av_matmul_range_generic(
      Int32(t.type.rawValue), m.data, m.rowBytes, 0, Int32(m.rows), Int32(m.cols), x, Int32(m.cols), Int32(R), &kern,
      Int32(m.rows))
    for i in 0..<blas.count { #expect(abs(blas[i] - kern[i]) <= 1e-3, "[\(i)]") }
  }
}
