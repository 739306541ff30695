import Foundation
import Testing

/// `bench --contend` measures decode beside a busy process it starts itself; that process must
/// not outlive the bench, whether it ends normally or is killed mid-run.
@Suite(.serialized) struct BenchContendTests {
  /// Process ids of running `yes` processes whose parent is a `/bin/sh -c yes …` (ours).
  static func busyProcesses() -> Set<String> {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
    p.arguments = ["-x", "yes"]
    let out = Pipe()
    p.standardOutput = out
    try? p.run()
    p.waitUntilExit()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return Set(
      text.split(separator: "\n").map(String.init).filter { pid in
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")  // a zombie is not running
      })
  }

  @Test("bench --contend prints the busy row and leaves no busy process behind")
  func contendRow() throws {
    let before = Self.busyProcesses()
    let r = try OptionTests.run(["bench", "--steps", "4", "--repetitions", "1", "--context", "16", "--contend"], timeout: 120)
    #expect(r.status == 0, "\(r.stderr)")
    let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("decode 1 row, 1 busy") })
    #expect(row.contains("% of quiet"))
    #expect(Self.busyProcesses().subtracting(before).isEmpty)
  }

  @Test("a bench killed while its busy process runs takes the busy process with it")
  func killedBench() throws {
    let bin = try #require(TmuxTests.binary(), "build the executable first (swift build)")
    let before = Self.busyProcesses()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = ["bench", "--steps", "200", "--repetitions", "2", "--context", "16", "--contend"]
    p.currentDirectoryURL = TmuxTests.root
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Wait for the busy process to appear (after the quiet measurements), then kill the bench.
    let deadline = Date().addingTimeInterval(240)
    while Self.busyProcesses().subtracting(before).isEmpty && p.isRunning && Date() < deadline { usleep(100_000) }
    let started = !Self.busyProcesses().subtracting(before).isEmpty
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    #expect(started, "the busy process never started")
    let gone = Date().addingTimeInterval(5)
    while !Self.busyProcesses().subtracting(before).isEmpty && Date() < gone { usleep(50_000) }
    #expect(Self.busyProcesses().subtracting(before).isEmpty, "yes still running after the bench was killed")
  }
}
