import Foundation

/// One tensor's description inside a GGUF file.
public struct GGUFTensorInfo: Sendable {
  public let name: String
  /// GGML order: dims[0] is the contiguous (input) dimension.
  public let dims: [Int]
  public let type: GGMLType
  /// Absolute byte offset in the file.
  public let offset: Int
  public let byteCount: Int
  public var elementCount: Int { dims.reduce(1, *) }
}

/// A GGUF v2/v3 file, memory-mapped read-only. Every read is bounds-checked: a malformed file
/// ends in a thrown `GGUFError`, never a crash.
public final class GGUFFile: @unchecked Sendable {
  public let path: String
  public let version: UInt32
  public let metadata: [String: GGUFValue]
  public let tensors: [String: GGUFTensorInfo]
  public let tensorOrder: [String]
  public let alignment: Int
  public let size: Int
  public let base: UnsafeRawPointer
  private let mapping: UnsafeMutableRawPointer?
  private let ownsCopy: Bool

  /// Maps and parses the file at `path`.
  public convenience init(path: String) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw GGUFError.cannotOpen(path: path, reason: "stat failed") }
    guard st.st_mode & S_IFMT == S_IFREG else {
      throw GGUFError.cannotOpen(
        path: path,
        reason: st.st_mode & S_IFMT == S_IFDIR
          ? "is a directory, expected a GGUF file" : "is not a regular file, expected a GGUF file")
    }
    let size = Int(st.st_size)
    guard size > 0 else { throw GGUFError.truncated(at: 0, need: 4, what: "magic", fileSize: 0) }
    guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
      throw GGUFError.cannotOpen(path: path, reason: "mmap failed")
    }
    try self.init(path: path, base: UnsafeRawPointer(p), size: size, mapping: p, ownsCopy: false)
  }

  /// Parses an in-memory image (tests, fuzzing). The bytes are copied.
  public convenience init(bytes: [UInt8]) throws {
    let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
    bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    do {
      try self.init(path: "<memory>", base: UnsafeRawPointer(p), size: bytes.count, mapping: p, ownsCopy: true)
    } catch {
      p.deallocate()
      throw error
    }
  }

  private init(path: String, base: UnsafeRawPointer, size: Int, mapping: UnsafeMutableRawPointer?, ownsCopy: Bool) throws {
    self.path = path
    self.base = base
    self.size = size
    self.mapping = mapping
    self.ownsCopy = ownsCopy
    var r = ByteReader(base: base, size: size)
    let magic = try r.bytes(4, "magic")
    guard magic == Array("GGUF".utf8) else {
      throw GGUFError.badMagic(got: magic.map { String(format: "%02x", $0) }.joined(separator: " "))
    }
    version = try r.u32("version")
    guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(got: version) }
    let nTensors = try r.u64("tensor count")
    let nKV = try r.u64("metadata count")
    // Each entry takes at least 8 (tensor name) + 4 + 4 + 8 bytes; each KV at least 12.
    guard nTensors <= UInt64(size / 24) else {
      throw GGUFError.truncated(
        at: r.pos, need: Int(clamping: nTensors &* 24), what: "a table of \(nTensors) tensors", fileSize: size)
    }
    guard nKV <= UInt64(size / 12) else {
      throw GGUFError.truncated(at: r.pos, need: Int(clamping: nKV &* 12), what: "\(nKV) metadata entries", fileSize: size)
    }
    var meta: [String: GGUFValue] = [:]
    for _ in 0..<nKV {
      let key = try r.string("metadata key")
      let type = try r.u32("type of '\(key)'")
      meta[key] = try r.value(type: type, key: key, depth: 0)
    }
    metadata = meta
    var align = 32
    if let a = meta["general.alignment"] {
      guard let v = a.int, v > 0, v <= 65536, v & (v - 1) == 0 else {
        throw GGUFError.badAlignment(UInt64(a.int ?? 0))
      }
      align = v
    }
    alignment = align
    var infos: [(String, [Int], GGMLType, UInt64)] = []
    for _ in 0..<nTensors {
      let name = try r.string("tensor name")
      let nd = try r.u32("dims of '\(name)'")
      guard nd >= 1 && nd <= 4 else { throw GGUFError.badTensorDims(name: name, dims: []) }
      var dims: [UInt64] = []
      for _ in 0..<nd { dims.append(try r.u64("dims of '\(name)'")) }
      let tid = try r.u32("type of '\(name)'")
      let off = try r.u64("offset of '\(name)'")
      guard let type = GGMLType(rawValue: tid) else { throw GGUFError.unknownTensorType(name: name, type: tid) }
      guard dims.allSatisfy({ $0 > 0 && $0 < (1 << 32) }) else { throw GGUFError.badTensorDims(name: name, dims: dims) }
      let d = dims.map { Int($0) }
      guard d[0] % type.blockSize == 0 else { throw GGUFError.badTensorDims(name: name, dims: dims) }
      infos.append((name, d, type, off))
    }
    let dataStart = (r.pos + align - 1) / align * align
    var table: [String: GGUFTensorInfo] = [:]
    var order: [String] = []
    for (name, dims, type, off) in infos {
      guard table[name] == nil else { throw GGUFError.duplicateTensor(name: name) }
      let count = dims.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
      guard count < Int.max / 8, off < UInt64(Int.max / 2) else {
        throw GGUFError.badTensorDims(name: name, dims: dims.map(UInt64.init))
      }
      let bytes = type.bytes(count: count)
      let start = dataStart + Int(off)
      guard start + bytes <= size else { throw GGUFError.tensorPastEnd(name: name, end: start + bytes, fileSize: size) }
      table[name] = GGUFTensorInfo(name: name, dims: dims, type: type, offset: start, byteCount: bytes)
      order.append(name)
    }
    tensors = table
    tensorOrder = order
  }

  deinit {
    if ownsCopy { mapping?.deallocate() } else if let m = mapping { munmap(m, size) }
  }

  public func pointer(_ t: GGUFTensorInfo) -> UnsafeRawPointer { base + t.offset }

  // Typed metadata access with clear errors.
  public func int(_ key: String) throws -> Int {
    guard let v = metadata[key] else { throw GGUFError.missingKey(key) }
    guard let i = v.int else { throw GGUFError.wrongKeyType(key: key, expected: "an integer") }
    return i
  }
  public func double(_ key: String) throws -> Double {
    guard let v = metadata[key] else { throw GGUFError.missingKey(key) }
    guard let d = v.double else { throw GGUFError.wrongKeyType(key: key, expected: "a number") }
    return d
  }
  public func string(_ key: String) throws -> String {
    guard let v = metadata[key] else { throw GGUFError.missingKey(key) }
    guard let s = v.string else { throw GGUFError.wrongKeyType(key: key, expected: "a string") }
    return s
  }
  public func strings(_ key: String) throws -> [String] {
    guard let v = metadata[key] else { throw GGUFError.missingKey(key) }
    guard let a = v.array else { throw GGUFError.wrongKeyType(key: key, expected: "an array of strings") }
    return try a.map {
      guard let s = $0.string else { throw GGUFError.wrongKeyType(key: key, expected: "an array of strings") }
      return s
    }
  }
  public func ints(_ key: String) throws -> [Int] {
    guard let v = metadata[key] else { throw GGUFError.missingKey(key) }
    guard let a = v.array else { throw GGUFError.wrongKeyType(key: key, expected: "an array of integers") }
    return try a.map {
      guard let i = $0.int else { throw GGUFError.wrongKeyType(key: key, expected: "an array of integers") }
      return i
    }
  }
}

/// Bounds-checked little-endian reader over the mapped file.
struct ByteReader {
  let base: UnsafeRawPointer
  let size: Int
  var pos = 0

  mutating func need(_ n: Int, _ what: String) throws {
    guard n >= 0, pos <= size, n <= size - pos else {
      throw GGUFError.truncated(at: pos, need: n, what: what, fileSize: size)
    }
  }
  mutating func bytes(_ n: Int, _ what: String) throws -> [UInt8] {
    try need(n, what)
    defer { pos += n }
    return Array(UnsafeRawBufferPointer(start: base + pos, count: n))
  }
  mutating func load<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
    try need(MemoryLayout<T>.size, what)
    defer { pos += MemoryLayout<T>.size }
    return T(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: T.self))
  }
  mutating func u32(_ what: String) throws -> UInt32 { try load(UInt32.self, what) }
  mutating func u64(_ what: String) throws -> UInt64 { try load(UInt64.self, what) }
  mutating func string(_ what: String) throws -> String {
    let n = try u64(what)
    guard n <= UInt64(size - pos) else { throw GGUFError.truncated(at: pos, need: Int(clamping: n), what: what, fileSize: size) }
    let start = pos
    let buf = UnsafeRawBufferPointer(start: base + pos, count: Int(n))
    pos += Int(n)
    guard let s = String(validating: buf, as: UTF8.self) else { throw GGUFError.badString(at: start) }
    return s
  }

  mutating func value(type: UInt32, key: String, depth: Int) throws -> GGUFValue {
    let what = "value of '\(key)'"
    switch type {
    case 0: return .uint(UInt64(try load(UInt8.self, what)))
    case 1: return .int(Int64(try load(Int8.self, what)))
    case 2: return .uint(UInt64(try load(UInt16.self, what)))
    case 3: return .int(Int64(try load(Int16.self, what)))
    case 4: return .uint(UInt64(try load(UInt32.self, what)))
    case 5: return .int(Int64(try load(Int32.self, what)))
    case 6: return .float(Double(Float(bitPattern: try load(UInt32.self, what))))
    case 7: return .bool(try load(UInt8.self, what) != 0)
    case 8: return .string(try string(what))
    case 9:
      guard depth == 0 else { throw GGUFError.unknownValueType(key: key, type: 9) }
      let et = try u32(what)
      let n = try u64(what)
      guard n <= UInt64(size - pos) else { throw GGUFError.implausibleCount(what: "array length of '\(key)'", count: n, at: pos) }
      var out: [GGUFValue] = []
      out.reserveCapacity(Int(n))
      for _ in 0..<n { out.append(try value(type: et, key: key, depth: depth + 1)) }
      return .array(out)
    case 10: return .uint(try load(UInt64.self, what))
    case 11: return .int(try load(Int64.self, what))
    case 12: return .float(Double(bitPattern: try load(UInt64.self, what)))
    default: throw GGUFError.unknownValueType(key: key, type: type)
    }
  }
}
