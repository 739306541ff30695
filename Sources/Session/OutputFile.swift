import Foundation

/// A file the program writes (recordings, casts, captions, JSON results): a new path or an
/// existing regular file, never a device, a directory, a FIFO or a symlink to one. Writes report
/// their failure (disk full, file size limit) instead of stopping the program, and what was
/// written before stays in the file.
public final class OutputFile {
  public enum Failure: Error, CustomStringConvertible, Equatable {
    case notRegular(path: String, kind: String)
    case cannotOpen(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
      switch self {
      case .notRegular(let p, let k): return "\(p): is \(k), expected a regular file or a new path"
      case .cannotOpen(let p, let r): return "\(p): cannot open for writing: \(r)"
      case .writeFailed(let p, let r): return "\(p): write failed: \(r) (what was written before is kept)"
      }
    }
  }

  public let path: String
  private var fd: Int32

  /// Opens `path` for writing, creating it (mode 0644) or emptying an existing regular file.
  /// The type is checked on the opened descriptor, so a path swapped meanwhile cannot slip through.
  public init(path: String) throws {
    self.path = path
    // O_NONBLOCK: opening a FIFO without a reader must not hang; no O_TRUNC before the check.
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0o644)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      var st = stat()
      if stat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
        throw Failure.notRegular(path: path, kind: Self.kindName(st.st_mode))
      }
      throw Failure.cannotOpen(path: path, reason: reason)
    }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
      posixClose(fd)
      throw Failure.notRegular(path: path, kind: Self.kindName(st.st_mode))
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    guard ftruncate(fd, 0) == 0 else {
      let reason = String(cString: strerror(errno))
      posixClose(fd)
      throw Failure.cannotOpen(path: path, reason: reason)
    }
  }

  deinit { close() }

  /// Appends `bytes` (all of them, or throws with the system's reason).
  public func write(_ bytes: Data) throws {
    guard fd >= 0 else { throw Failure.writeFailed(path: path, reason: "the file is closed") }
    try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      var done = 0
      while done < raw.count {
        let n = posixWrite(fd, raw.baseAddress! + done, raw.count - done)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw Failure.writeFailed(path: path, reason: String(cString: strerror(n < 0 ? errno : EIO))) }
        done += n
      }
    }
  }

  public func write(_ text: String) throws { try write(Data(text.utf8)) }

  /// Flushes to the disk (a killed session keeps every full line).
  public func sync() throws {
    guard fd >= 0 else { return }
    if fsync(fd) != 0 && errno != EINVAL { throw Failure.writeFailed(path: path, reason: String(cString: strerror(errno))) }
  }

  public func close() {
    if fd >= 0 { posixClose(fd) }
    fd = -1
  }

  /// Writes a whole file: `text` into `path`.
  /// Writes `bytes` to `path` as a new or replaced regular file (the checks of `init`), closing it.
  public static func write(_ bytes: Data, to path: String) throws {
    let f = try OutputFile(path: path)
    defer { f.close() }
    try f.write(bytes)
  }

  public static func write(_ text: String, to path: String) throws {
    let f = try OutputFile(path: path)
    defer { f.close() }
    try f.write(text)
  }

  /// Replaces `path` as a whole, never half-written: the bytes go to `path.partial` beside it,
  /// are flushed, and are then renamed over `path`. A failure (disk full) leaves `path` as it
  /// was. `path` must be new or a regular file (not a symlink).
  public static func replace(_ bytes: Data, at path: String) throws {
    var st = stat()
    if lstat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
      throw Failure.notRegular(path: path, kind: st.st_mode & S_IFMT == S_IFLNK ? "a symbolic link" : kindName(st.st_mode))
    }
    let partial = path + ".partial"
    do {
      let f = try OutputFile(path: partial)
      defer { f.close() }
      try f.write(bytes)
      try f.sync()
    } catch {
      unlink(partial)
      throw error
    }
    guard rename(partial, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(partial)
      throw Failure.writeFailed(path: path, reason: reason)
    }
  }

  public static func kindName(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: return "a directory"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFIFO: return "a FIFO"
    case S_IFSOCK: return "a socket"
    default: return "not a regular file"
    }
  }
}

// The system calls, outside the class whose methods share their names.
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func posixClose(_ fd: Int32) { _ = close(fd) }
