import CKernels
import Foundation
import Kernels
import Testing
import Transformer

/// Attention over block views on every instruction set this CPU runs (scalar, AVX2, AVX-512 —
/// which takes head size 64 only; 6 heads per key head there: two sub-groups, 130 keys: chunks),
/// against a plain double-precision loop written here: per row and head, the query rotated per
/// fragment, scores over all fragments' keys, one softmax, the value sum. Head sizes 64 (SmolLM2)
/// and 128 (Qwen2.5), f32 and f16 keys, fragments of lengths that are and are not multiples of
/// the kernels' 8- and 16-key runs, grouped-query heads (3 and 6 per key/value head).
@Suite struct AttentionISATests {
  struct Shape { var heads: Int; var kvHeads: Int; var hd: Int; var lengths: [[Int]] }

  /// cos then sin of (position − offset) · base^(−2i/nRot), as the model's RopeTable fills them.
  static func rotation(_ pos: Int, nRot: Int) -> [Float] {
    let half = nRot / 2
    var cs = [Float](repeating: 0, count: nRot)
    for i in 0..<half {
      let a = Double(pos) * pow(10000, -2 * Double(i) / Double(nRot))
      cs[i] = Float(cos(a))
      cs[half + i] = Float(sin(a))
    }
    return cs
  }

  static func f16Bits(_ x: Float) -> UInt16 { Float16(x).bitPattern }

  @Test(
    "every instruction set's attention equals the plain loop",
    arguments: [
      Shape(heads: 9, kvHeads: 3, hd: 64, lengths: [[37, 1], [64, 16, 3]]),
      Shape(heads: 12, kvHeads: 2, hd: 128, lengths: [[5], [23, 40, 2], [130]]),
      Shape(heads: 12, kvHeads: 2, hd: 64, lengths: [[5], [23, 40, 2], [130]]),
    ], [false, true])
  func matchesLoop(shape: Shape, f16: Bool) {
    let (H, KV, hd) = (shape.heads, shape.kvHeads, shape.hd)
    let kvDim = KV * hd, G = H / KV, R = shape.lengths.count
    var rng = SeededRandom(seed: UInt64(hd + (f16 ? 1 : 0)))
    func rand() -> Float { Float(Double(rng.next() % 2000) / 1000 - 1) }
    // One key/value array per fragment; values rounded to f16 where the cache is f16, so the loop
    // sees what the kernels read.
    let frags = shape.lengths.flatMap { $0 }
    var keys: [[Float]] = [], values: [[Float]] = []
    for n in frags {
      keys.append((0..<(n * kvDim)).map { _ in f16 ? Float(Float16(rand())) : rand() })
      values.append((0..<(n * kvDim)).map { _ in f16 ? Float(Float16(rand())) : rand() })
    }
    let q = (0..<(R * H * hd)).map { _ in rand() }
    // Row r's view: its fragments in order; the query sits after them (position = total length).
    var fragStart: [Int32] = [0], csTable: [Float] = [], rowFrag: [[Int]] = []
    var f = 0
    for lens in shape.lengths {
      var ids: [Int] = []
      var offset = 0
      let total = lens.reduce(0, +)
      for n in lens {
        csTable += Self.rotation(total - offset, nRot: hd)
        ids.append(f)
        offset += n
        f += 1
      }
      rowFrag.append(ids)
      fragStart.append(Int32(f))
    }
    let scale = 1 / Float(hd).squareRoot()
    // The loop, in double.
    var expected = [Double](repeating: 0, count: R * H * hd)
    for r in 0..<R {
      for h in 0..<H {
        let kvh = h / G
        var scores: [Double] = [], rows: [(Int, Int)] = []
        for fi in rowFrag[r] {
          let cs = csTable[(fi * hd)..<(fi * hd + hd)].map(Double.init)
          var qr = [Double](repeating: 0, count: hd)
          for i in 0..<(hd / 2) {  // neox halves
            let x0 = Double(q[(r * H + h) * hd + i]), x1 = Double(q[(r * H + h) * hd + i + hd / 2])
            qr[i] = x0 * cs[i] - x1 * cs[hd / 2 + i]
            qr[i + hd / 2] = x0 * cs[hd / 2 + i] + x1 * cs[i]
          }
          for j in 0..<frags[fi] {
            var s = 0.0
            for i in 0..<hd { s += qr[i] * Double(keys[fi][j * kvDim + kvh * hd + i]) }
            scores.append(s * Double(scale))
            rows.append((fi, j))
          }
        }
        let mx = scores.max()!
        let e = scores.map { Foundation.exp($0 - mx) }
        let sum = e.reduce(0, +)
        for (k, (fi, j)) in rows.enumerated() {
          for i in 0..<hd { expected[(r * H + h) * hd + i] += e[k] / sum * Double(values[fi][j * kvDim + kvh * hd + i]) }
        }
      }
    }
    // Key/value storage as the cache keeps it.
    func stored(_ a: [Float]) -> UnsafeMutableRawPointer {
      let p = UnsafeMutableRawPointer.allocate(byteCount: max(1, a.count * 4), alignment: 64)
      for (i, x) in a.enumerated() {
        if f16 {
          p.storeBytes(of: Self.f16Bits(x), toByteOffset: 2 * i, as: UInt16.self)
        } else {
          p.storeBytes(of: x, toByteOffset: 4 * i, as: Float.self)
        }
      }
      return p
    }
    let kBufs = keys.map(stored), vBufs = values.map(stored)
    defer { (kBufs + vBufs).forEach { $0.deallocate() } }
    let avFrags = frags.indices.map {
      av_frag(k: UnsafeRawPointer(kBufs[$0]), v: UnsafeRawPointer(vBufs[$0]), len: Int32(frags[$0]), cs: Int32($0))
    }
    let maxKeys = 512
    for isa in KernelISA.allCases {
      guard isa.isSupported else { continue }
      var out = [Float](repeating: .nan, count: R * H * hd)
      var scratch = [Float](repeating: 0, count: maxKeys * G)
      let ran = av_attention_isa(
        isa.rawValue, Int32(R), q, avFrags, fragStart, csTable, Int32(H), Int32(KV), Int32(hd), Int32(hd), 1, scale, &out,
        &scratch, Int32(maxKeys), f16 ? 1 : 0)
      #expect(ran == 1)
      let worst = zip(out, expected).map { abs(Double($0) - $1) }.max()!
      #expect(worst <= 2e-5, "\(isa.name) hd \(hd)\(f16 ? " f16" : ""): worst difference \(worst)")
    }
  }
}
