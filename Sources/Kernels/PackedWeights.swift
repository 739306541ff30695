import CKernels
import Foundation

/// Copies of weight matrices in the packed layout of `av_pack` (16 output rows interleaved per
/// block; Q4_0, Q4_1, Q5_0 and Q8_0), made once at load for the packed kernels (AVX-512 VNNI, AVX-VNNI
/// and AVX2 read the same layout), and owned here.
///
/// The packed copy is the same size as the file's bytes (Q4_1) or up to 11 % larger, so after
/// packing the file's pages of that matrix are handed back (`MADV_DONTNEED`): the mapping stays
/// valid (other paths and the embedding lookup fault single pages back in from the file), and
/// the process does not hold both copies.
public final class PackedWeights: @unchecked Sendable {
  private var buffers: [UnsafeMutableRawPointer] = []
  /// Bytes held by the packed copies.
  public private(set) var bytes = 0

  public init() {}

  /// Whether packing pays on this machine now: the kernels chose a set with a packed kernel
  /// (AVX-512 VNNI, AVX-VNNI or AVX2; not the scalar reference).
  public static var applies: Bool { KernelISA.current != .scalar }

  /// `m` with a packed copy attached, or `m` unchanged if its type or shape has no packed layout.
  public func pack(_ m: QuantMatrix) -> QuantMatrix {
    let n = av_packed_bytes(m.type, Int32(m.rows), Int32(m.cols))
    guard n > 0 else { return m }
    guard let p = aligned_alloc(64, (n + 63) / 64 * 64) else { return m }
    av_pack(m.type, m.data, m.rowBytes, Int32(m.rows), Int32(m.cols), p)
    buffers.append(p)
    bytes += n
    Self.release(m.data, count: m.rows * m.rowBytes)
    var out = m
    out.packed = UnsafeRawPointer(p)
    return out
  }

  /// Hands the whole pages inside [start, start + count) of a read-only file mapping back to the
  /// kernel; they are read again from the file if touched.
  private static func release(_ start: UnsafeRawPointer, count: Int) {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let a = (Int(bitPattern: start) + page - 1) / page * page
    let b = (Int(bitPattern: start) + count) / page * page
    guard b > a, let p = UnsafeMutableRawPointer(bitPattern: a) else { return }
    _ = madvise(p, b - a, MADV_DONTNEED)
  }

  deinit { buffers.forEach { free($0) } }
}
