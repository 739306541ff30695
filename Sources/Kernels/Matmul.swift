import CKernels
import COpenBLAS

/// A weight matrix in its on-disk (quantized) form: `rows` output rows of `cols` inputs.
public struct QuantMatrix: @unchecked Sendable {
  public let type: Int32
  public let data: UnsafeRawPointer
  public let rows: Int
  public let cols: Int
  public let rowBytes: Int
  /// The same weights in `av_pack`'s layout (`PackedWeights`), used where the kernels run on
  /// AVX-512 VNNI with 8-bit activations; nil: none. Not owned: valid while the `PackedWeights`
  /// that made it lives (a model's matrices live as long as its `ModelWeights`).
  public var packed: UnsafeRawPointer?

  public init(type: Int32, data: UnsafeRawPointer, rows: Int, cols: Int) {
    self.type = type
    self.data = data
    self.rows = rows
    self.cols = cols
    self.rowBytes = cols / Int(av_type_block_size(type)) * Int(av_type_block_bytes(type))
  }

  /// Dequantizes one row into `out` (cols floats).
  public func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
    av_dequant_row(type, data + row * rowBytes, out, Int32(cols))
  }
}

/// The one place the engine multiplies: `y[r] = W · x[r]` for R rows.
///
/// Few rows go through the multi-row quantized kernel (weights read once for all rows); many rows
/// (prefill) go through OpenBLAS sgemm on dequantized tiles.
public enum Matmul {
  /// Rows at or above this count take the sgemm path for weights with an 8-bit kernel (8-bit
  /// activations). Below it the multi-row q8 kernels win: `asyncvoice bench` pp16…pp512 on all three
  /// models measured them 1.3–3.8× faster than sgemm on dequantized tiles (DECISIONS.md, 2026-11-30).
  /// A `var` only so `bench --blas-min-rows` can measure the crossing; set once at start.
  nonisolated(unsafe) public static var blasMinRows = 1024
  /// The same for float activations (`exact`) and weights without an 8-bit kernel (f16, f32, Q5_K):
  /// their float kernels lose to sgemm from about 96 rows.
  public static let floatBlasMinRows = 96

  /// Whether `rows` rows of `w` take the sgemm path.
  static func usesBLAS(_ w: QuantMatrix, rows: Int, exact: Bool) -> Bool {
    rows >= (exact || av_q8_kernel(w.type) == 0 ? min(floatBlasMinRows, blasMinRows) : blasMinRows)
  }
  public static let tileRows = 64

  public static func multiply(
    _ w: QuantMatrix, x: UnsafePointer<Float>, ldx: Int, rows: Int,
    y: UnsafeMutablePointer<Float>, ldy: Int, scratch: UnsafeMutablePointer<Float>?, exact: Bool = false
  ) {
    if usesBLAS(w, rows: rows, exact: exact), let scratch {
      av_matmul_blas(
        w.type, w.data, w.rowBytes, Int32(w.rows), Int32(w.cols), x, Int32(ldx), Int32(rows), y,
        Int32(ldy), scratch, Int32(tileRows))
    } else {
      av_matmul_p(
        w.type, w.data, w.packed, w.rowBytes, Int32(w.rows), Int32(w.cols), x, Int32(ldx), Int32(rows), y,
        Int32(ldy), exact ? 0 : 1)
    }
  }

  /// One output of a grouped multiply: the matrix, where its rows go, their stride.
  public typealias Output = (w: QuantMatrix, y: UnsafeMutablePointer<Float>, ldy: Int)

  /// Two or three matrices over the same input rows (gate,up; Q,K,V). Few rows: one pool
  /// dispatch and one activation quantization for all of them; many rows: one sgemm pass each.
  /// Takes tuples, not an array, so the token loop does not allocate.
  public static func multiply(
    _ a: Output, _ b: Output, _ c: Output? = nil, x: UnsafePointer<Float>, ldx: Int, rows: Int,
    scratch: UnsafeMutablePointer<Float>?, exact: Bool = false
  ) {
    if usesBLAS(a.w, rows: rows, exact: exact), scratch != nil {
      multiply(a.w, x: x, ldx: ldx, rows: rows, y: a.y, ldy: a.ldy, scratch: scratch, exact: exact)
      multiply(b.w, x: x, ldx: ldx, rows: rows, y: b.y, ldy: b.ldy, scratch: scratch, exact: exact)
      if let c { multiply(c.w, x: x, ldx: ldx, rows: rows, y: c.y, ldy: c.ldy, scratch: scratch, exact: exact) }
      return
    }
    func out(_ o: Output) -> av_mat_out {
      av_mat_out(
        type: o.w.type, W: o.w.data, rowBytes: o.w.rowBytes, nOut: Int32(o.w.rows), y: o.y, ldy: Int32(o.ldy),
        P: o.w.packed)
    }
    withUnsafeTemporaryAllocation(of: av_mat_out.self, capacity: 3) { m in
      m[0] = out(a)
      m[1] = out(b)
      if let c { m[2] = out(c) }
      av_matmul_multi(c == nil ? 2 : 3, m.baseAddress, Int32(a.w.cols), x, Int32(ldx), Int32(rows), exact ? 0 : 1)
    }
  }

  /// Below this many activation rows every 8-bit matmul takes the multi-row kernels, which give a
  /// row the same bits whatever the other rows: prefills whose rows together stay below it can
  /// share one pass (`Model.prefill(batch:)`) and change nothing but the time.
  public static var rowsWithoutGEMM: Int { min(Int(av_gemm_min_rows()), floatBlasMinRows, blasMinRows) - 1 }

  /// Floats of scratch the sgemm path needs for matrices up to `maxCols` wide.
  public static func scratchSize(maxCols: Int, threads: Int) -> Int {
    threads * tileRows * maxCols
  }
}

/// Threads of the kernel pool (ours) and of OpenBLAS (kept at 1 so the two never fight).
public enum KernelThreads {
  public static func configure(threads: Int) {
    av_pool_init(Int32(max(1, threads)))
    openblas_set_num_threads(1)
  }
  public static var count: Int { Int(av_pool_threads()) }
  public static var usesAVX2: Bool { av_cpu_has_avx2() != 0 }
}

/// The instruction set of the kernels: detected once at start, or forced (tests, `--isa`).
public enum KernelISA: Int32, CaseIterable, Sendable {
  case scalar = 0, avx2 = 1, avxvnni = 2, avx512vnni = 3

  /// Parses an option value: a case name, or "auto" (nil: the best this CPU runs).
  public static func parse(_ s: String) -> KernelISA?? {
    if s == "auto" { return .some(nil) }
    return allCases.first { $0.name == s }.map { .some($0) }
  }

  public var name: String { String(cString: av_isa_name(rawValue)) }
  /// Whether this CPU can run the kernels of this set.
  public var isSupported: Bool { av_isa_supported(rawValue) != 0 }
  public static var best: KernelISA { KernelISA(rawValue: av_isa_best())! }
  /// The set every kernel uses now.
  public static var current: KernelISA { KernelISA(rawValue: av_isa())! }

  /// Chooses the set for the process (nil: the best). False if this CPU lacks it.
  @discardableResult public static func select(_ isa: KernelISA?) -> Bool {
    av_isa_select(isa?.rawValue ?? -1) != 0
  }

  /// Chooses the set an option value names ("auto" or a case name) for the process: nil when
  /// chosen, else why not (`--isa`, and the golden logs' `AV_GOLDEN_ISA`).
  public static func choose(_ value: String) -> String? {
    guard let choice = parse(value) else { return "expected auto or one of \(allCases.map(\.name).joined(separator: ", "))" }
    return select(choice) ? nil : "this CPU cannot run it (best here: \(best.name))"
  }
}
