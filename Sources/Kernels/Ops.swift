import CKernels
import Foundation

/// Small element-wise operations of the forward pass (plain loops; the compiler vectorizes).
public enum Ops {
  /// out = x / sqrt(mean(x²) + eps) * w
  @inline(__always)
  public static func rmsNorm(
    _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    _ n: Int, eps: Float
  ) {
    var ss: Float = 0
    for i in 0..<n { ss += x[i] * x[i] }
    let inv = 1 / (ss / Float(n) + eps).squareRoot()
    for i in 0..<n { out[i] = x[i] * inv * w[i] }
  }

  /// gate = silu(gate) * up (one row; the model calls `av_swiglu` for all rows at once).
  @inline(__always)
  public static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
    av_swiglu(gate, up, Int32(n), 1, Int32(n))
  }

  @inline(__always)
  public static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) {
    for i in 0..<n { x[i] += y[i] }
  }
}

/// cos/sin tables for RoPE: θ_i = pos · base^(−2i/nRot), computed in Double like the reference.
public struct RopeTable: Sendable {
  public let nRot: Int
  public let invFreq: [Double]

  public init(nRot: Int, base: Double) {
    self.nRot = nRot
    invFreq = (0..<(nRot / 2)).map { pow(base, -Double(2 * $0) / Double(nRot)) }
  }

  /// Writes nRot/2 cosines then nRot/2 sines for `position` (may be negative).
  @inline(__always)
  public func fill(position: Int, into out: UnsafeMutablePointer<Float>) {
    let half = nRot / 2
    for i in 0..<half {
      let a = Double(position) * invFreq[i]
      out[i] = Float(cos(a))
      out[half + i] = Float(sin(a))
    }
  }
}
