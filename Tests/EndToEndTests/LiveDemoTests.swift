import Foundation
import Testing

/// The live demo of the built binary in tmux, on the small model: the engine queue, the speech
/// timer, the UI thread and typed keys all at work. `scripts/tsan.sh` runs these against a
/// ThreadSanitizer build (whose binary exits 66 when it reports a race).
@Suite(.serialized) struct LiveDemoTests {
  static let small = OutputTests.small

  /// Starts `command` (a shell line) in a detached tmux session; the session ends with
  /// `DEMO-EXITED=<status>` on the screen (160 columns: the status line's last field fits). The test's environment is passed on (TSAN_OPTIONS).
  static func start(_ session: String, _ command: String) {
    let env = ProcessInfo.processInfo.environment["TSAN_OPTIONS"].map { "export TSAN_OPTIONS='\($0)'; " } ?? ""
    let cmd = "\(env)cd '\(TmuxTests.root.path)'; \(command); echo DEMO-EXITED=$?; sleep 60"
    TmuxTests.tmux(["new-session", "-d", "-s", session, "-x", "160", "-y", "32", "bash", "-c", cmd])
  }

  static func keys(_ session: String, _ keys: String...) {
    for k in keys { TmuxTests.tmux(["send-keys", "-t", session, k]) }
  }

  @Test("live demo: typed question, display pause, next scenario, quit — exit 0, terminal restored")
  func typedPauseNextQuit() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxTests.TmuxMissing() }
    let bin = try #require(TmuxTests.binary())
    let s = "avlive\(getpid())"
    defer { TmuxTests.tmux(["kill-session", "-t", s]) }
    let demo = "demo arith-times unit-hours --no-record --model '\(Self.small)' --answer-budget 12 --thought-budget 8"
    Self.start(s, "TERM=xterm-256color '\(bin)' \(demo)")
    let first = TmuxTests.waitFor(s, "seventeen", timeout: 120)
    #expect(first.contains("Listening") && first.contains("seventeen"), "\(first)")
    TmuxTests.tmux(["send-keys", "-t", s, "-l", "and then add one"])
    Self.keys(s, "Enter")
    let typed = TmuxTests.waitFor(s, "and then add one", timeout: 30)
    #expect(typed.contains("and then add one"), "\(typed)")
    Self.keys(s, "Space")
    #expect(TmuxTests.waitFor(s, "display paused", timeout: 10).contains("display paused"))
    Self.keys(s, "Space", "n")  // the next (last) scenario
    let second = TmuxTests.waitFor(s, "2/2 unit-hours", timeout: 60)
    #expect(second.contains("2/2 unit-hours"), "\(second)")
    Self.keys(s, "n")
    let done = TmuxTests.waitFor(s, "all scenarios done", timeout: 60)
    #expect(done.contains("all scenarios done"), "\(done)")
    Self.keys(s, "q")
    let after = TmuxTests.waitFor(s, "DEMO-EXITED", timeout: 30)
    #expect(after.contains("DEMO-EXITED=0"), "\(after)")
    #expect(TmuxTests.tmux(["display", "-p", "-t", s, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
  }

  /// Not under ThreadSanitizer: its runtime stops with SIGBUS under `ulimit -f`.
  @Test("a failed write while recording shows REC FAILED, keeps the written lines, and exits 1")
  func recordFailureShown() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxTests.TmuxMissing() }
    let bin = try #require(TmuxTests.binary())
    let out = OutputTests.temp("demo-rec.jsonl")
    let s = "avrec\(getpid())"
    defer { TmuxTests.tmux(["kill-session", "-t", s]) }
    // bash counts `ulimit -f` in 1024-byte blocks: the recording stops at 2,048 bytes
    let demo = "demo arith-times --record '\(out)' --model '\(Self.small)' --answer-budget 24"
    Self.start(s, "ulimit -f 2; TERM=xterm-256color '\(bin)' \(demo) 2>/dev/null")
    let failed = TmuxTests.waitFor(s, "REC FAILED", timeout: 120)
    #expect(failed.contains("REC FAILED") && failed.contains("Listening"), "\(failed)")
    Self.keys(s, "n")
    _ = TmuxTests.waitFor(s, "all scenarios done", timeout: 60)
    Self.keys(s, "q")
    let after = TmuxTests.waitFor(s, "DEMO-EXITED", timeout: 30)
    #expect(after.contains("DEMO-EXITED=1"), "\(after)")
    #expect(OutputTests.size(out) == 2048)
    let replay = try OptionTests.run(["replay", out, "--headless", "--speed", "1000"])
    #expect(replay.status == 0 && replay.stdout.contains("[heard]"), "\(replay.stderr)")
  }
}
