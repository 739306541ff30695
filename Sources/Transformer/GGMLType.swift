import CKernels

/// GGML tensor types this engine knows (ids as in ggml.h).
public enum GGMLType: UInt32, CaseIterable, Sendable {
  case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8
  case q4_K = 12, q5_K = 13, q6_K = 14, bf16 = 30

  public var blockSize: Int { Int(av_type_block_size(Int32(rawValue))) }
  public var blockBytes: Int { Int(av_type_block_bytes(Int32(rawValue))) }
  public var name: String { "\(self)".uppercased() }

  /// Bytes of `count` elements (count a multiple of blockSize).
  public func bytes(count: Int) -> Int { count / blockSize * blockBytes }
}
