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
