import Foundation
import Testing

/// A parent may start us with signals blocked (this test runner blocks almost all of them, and the
/// mask survives exec); the binary unblocks them at start, so SIGTERM, SIGHUP and Ctrl-C arrive.
@Suite struct SignalMaskTests {
  @Test("the binary unblocks inherited signals: its mask is empty and SIGTERM ends it")
  func unblocksSignals() throws {
    let bin = try #require(TmuxTests.binary(), "build the executable first (swift build)")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = ["bench", "--steps", "100000", "--repetitions", "1", "--context", "16"]
    p.currentDirectoryURL = TmuxTests.root
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
    usleep(1_500_000)
    let status = try String(contentsOfFile: "/proc/\(p.processIdentifier)/status", encoding: .utf8)
    let mask = status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }.map {
      $0.dropFirst(7).trimmingCharacters(in: .whitespaces)
    }
    #expect(mask == "0000000000000000", "blocked signals: \(mask ?? "?")")
    kill(p.processIdentifier, SIGTERM)
    let deadline = Date().addingTimeInterval(10)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    #expect(!p.isRunning, "still running 10 s after SIGTERM")
    if !p.isRunning { #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGTERM) }
  }
}
