import Foundation
import Session
import Testing

/// Output files: only a new path or a regular file is written; nothing else is replaced.
@Suite struct OutputFileTests {
  @Test func writesNewAndRegularFiles() throws {
    let p = tempPath("out.txt")
    try OutputFile.write("first, longer text\n", to: p)
    try OutputFile.write("second\n", to: p)  // an existing regular file is emptied, then written
    #expect(try String(contentsOfFile: p, encoding: .utf8) == "second\n")
  }

  @Test("replace: the new bytes whole, no partial file left; a failed write leaves the old file as it was")
  func replacesWhole() throws {
    let p = tempPath("rows.json")
    try OutputFile.replace(Data("[1, 2, 3]".utf8), at: p)
    try OutputFile.replace(Data("[1]".utf8), at: p)
    #expect(try String(contentsOfFile: p, encoding: .utf8) == "[1]")
    #expect(!FileManager.default.fileExists(atPath: p + ".partial"))
    // The partial file cannot be written (a directory stands there): the error names it, p is kept.
    try FileManager.default.createDirectory(atPath: p + ".partial", withIntermediateDirectories: true)
    #expect(throws: OutputFile.Failure.notRegular(path: p + ".partial", kind: "a directory")) {
      try OutputFile.replace(Data("[9, 9]".utf8), at: p)
    }
    #expect(try String(contentsOfFile: p, encoding: .utf8) == "[1]")
    let dir = tempPath("a-dir")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let link = tempPath("a-link")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: p)
    #expect(throws: OutputFile.Failure.notRegular(path: dir, kind: "a directory")) { try OutputFile.replace(Data(), at: dir) }
    #expect(throws: OutputFile.Failure.notRegular(path: link, kind: "a symbolic link")) {
      try OutputFile.replace(Data(), at: link)
    }
    #expect(try String(contentsOfFile: p, encoding: .utf8) == "[1]")
  }

  @Test("a device, a directory, a FIFO and a symlink to a directory are refused and left as they were")
  func refusesWhatIsNotARegularFile() throws {
    let dir = tempPath("dir")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let link = tempPath("link")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir)
    let fifo = tempPath("fifo")
    #expect(mkfifo(fifo, 0o644) == 0)
    let cases = [("/dev/null", "a character device"), (dir, "a directory"), (link, "a directory"), (fifo, "a FIFO")]
    for (path, kind) in cases {
      #expect(throws: OutputFile.Failure.notRegular(path: path, kind: kind)) { try OutputFile.write("x", to: path) }
      #expect(throws: OutputFile.Failure.self) { _ = try Recorder(path: path, header: [:]) }
    }
    var st = stat()
    #expect(stat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
    #expect(lstat(link, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
  }
}
