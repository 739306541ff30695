import Foundation
import Testing

/// Drives the built binary in a real terminal (tmux): replay a committed recording, see the
/// three panes, type an interjection, quit, and get the shell back.
@Suite(.serialized) struct TmuxTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func binary() -> String? {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates =
      [here.appendingPathComponent("asyncvoice").path]
      + ["release", "debug"].map { root.appendingPathComponent(".build/\($0)/asyncvoice").path }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Runs a command (posix_spawn + waitpid) with stdin from /dev/null and stdout to a file: a
  /// tmux server started by `new-session` must not inherit a pipe of ours, and Foundation's
  /// Process did not reap the tmux client when a new server daemonized.
  @discardableResult
  static func sh(_ args: [String]) -> String {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("avtest-\(getpid())-\(UUID().uuidString).out").path
    defer { unlink(out) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    // An empty signal mask: the test runner blocks almost every signal and the mask is inherited,
    // so a tmux server started from here never saw SIGCHLD or SIGTERM and outlived `kill-server`
    // with its panes' programs.
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
    var pid: pid_t = 0
    guard posix_spawnp(&pid, args[0], &actions, &attr, &cargs, environ) == 0 else { return "" }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
  }

  /// tmux on a private socket, so the test neither needs nor disturbs the user's server.
  static let socket = "avtest\(getpid())"
  /// Suites share the server: a `new-session` that meets the server exiting after another suite
  /// killed its last session is tried again (up to five times), so the race fails no test. A test
  /// that kills its server gives its own `socket`.
  @discardableResult
  static func tmux(socket: String = socket, _ args: [String]) -> String {
    var out = sh(["tmux", "-L", socket] + args)
    guard args.first == "new-session", let i = args.firstIndex(of: "-s"), i + 1 < args.count else { return out }
    for _ in 0..<5
    where !sh(["tmux", "-L", socket, "list-sessions", "-F", "#S"]).split(separator: "\n").contains(Substring(args[i + 1])) {
      usleep(300_000)
      out = sh(["tmux", "-L", socket] + args)
    }
    return out
  }

  /// The session's screen once it shows `text`, or as it is after `timeout` seconds.
  static func waitFor(_ session: String, _ text: String, socket: String = socket, timeout: Double = 15) -> String {
    let end = Date().addingTimeInterval(timeout)
    var screen = ""
    while Date() < end {
      screen = tmux(socket: socket, ["capture-pane", "-p", "-t", session])
      if screen.contains(text) { return screen }
      usleep(100_000)
    }
    return screen
  }

  @Test func replayInTmux() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxMissing() }
    let bin = try #require(Self.binary(), "build the executable first (swift build)")
    let dir = Self.root.appendingPathComponent("Transcripts/recordings").path
    let rec = try #require(
      try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".jsonl") }.sorted().first)
    let s = "avtest\(getpid())"
    // Only this session: the suites that share this socket run at the same time (the server
    // ends with its last session).
    defer { Self.tmux(["kill-session", "-t", s]) }
    let cmd =
      "TERM=xterm-256color '\(bin)' replay '\(dir)/\(rec)' --speed 2; echo REPLAY-EXITED=$?; stty -a | tr ';' '\\n' | grep -wo -- '-\\?echo'; echo STTY-DONE; sleep 60"
    Self.tmux(["new-session", "-d", "-s", s, "-x", "120", "-y", "32", "sh", "-c", cmd])
    let first = Self.waitFor(s, "Speaking")
    #expect(first.contains("Listening") && first.contains("Thinking") && first.contains("Speaking"), "\(first)")
    #expect(first.contains("? help"))
    Self.tmux(["send-keys", "-t", s, "-l", "hello there"])
    Self.tmux(["send-keys", "-t", s, "Enter"])
    let typed = Self.waitFor(s, "» hello there")
    #expect(typed.contains("» hello there"), "\(typed)")
    Self.tmux(["send-keys", "-t", s, "q"])
    let after = Self.waitFor(s, "STTY-DONE")
    #expect(after.contains("REPLAY-EXITED=0"), "\(after)")
    #expect(!after.contains("Listening"), "the alternate screen is gone: \(after)")
    #expect(
      after.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "echo" }, "echo is back on: \(after)")
    #expect(Self.tmux(["display", "-p", "-t", s, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
  }

  struct TmuxMissing: Error {}

  @Test(
    "SIGHUP, SIGQUIT and SIGTERM restore the terminal (echo on, cursor shown, no alternate screen)",
    arguments: ["HUP", "QUIT", "TERM"])
  func signalRestoresTerminal(signal: String) throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxMissing() }
    let bin = try #require(Self.binary(), "build the executable first (swift build)")
    let dir = Self.root.appendingPathComponent("Transcripts/recordings").path
    let rec = try #require(
      try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".jsonl") }.sorted().first)
    let s = "avsig\(signal)\(getpid())"
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(s).pid").path
    defer { Self.tmux(["kill-session", "-t", s]) }
    // The inner shell execs the binary, so the pid it writes is the program's own.
    let inner = "echo \\$\\$ > \(pidFile); TERM=xterm-256color exec '\(bin)' replay '\(dir)/\(rec)'"
    let cmd =
      "sh -c \"\(inner)\"; echo REPLAY-EXITED=$?; stty -a | tr ';' '\\n' | grep -wo -- '-\\?echo'; echo STTY-DONE; sleep 60"
    Self.tmux(["new-session", "-d", "-s", s, "-x", "120", "-y", "32", "sh", "-c", cmd])
    let first = Self.waitFor(s, "Speaking")
    #expect(first.contains("Listening"), "\(first)")
    let pid = try #require(
      Int32((try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
    #expect(kill(pid, signal == "HUP" ? SIGHUP : signal == "QUIT" ? SIGQUIT : SIGTERM) == 0)
    let after = Self.waitFor(s, "STTY-DONE", timeout: 10)
    #expect(after.contains("REPLAY-EXITED="), "\(after)")
    #expect(!after.contains("Listening"), "the alternate screen is gone: \(after)")
    #expect(
      after.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "echo" }, "echo is back on: \(after)")
    #expect(Self.tmux(["display", "-p", "-t", s, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    #expect(Self.tmux(["display", "-p", "-t", s, "#{cursor_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1")
  }

  @Test func badInputFailsCleanly() throws {
    let bin = try #require(Self.binary())
    func run(_ args: [String]) -> (Int32, String) {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: bin)
      p.arguments = args
      let err = Pipe()
      p.standardError = err
      p.standardOutput = Pipe()
      try? p.run()
      p.waitUntilExit()
      return (p.terminationStatus, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(getpid()).gguf").path
    FileManager.default.createFile(atPath: tmp, contents: Data("GGUF\u{3}\0\0\0garbage".utf8))
    let (c1, e1) = run(["generate", "--prompt", "hi", "--model", tmp])
    #expect(c1 != 0 && e1.contains("truncated GGUF"), "\(e1)")
    let (c2, e2) = run(["replay", "/nonexistent.jsonl", "--headless"])
    #expect(c2 != 0 && e2.contains("cannot read"), "\(e2)")
    let (c3, e3) = run(["replay", "--speed", "-1"])
    #expect(c3 != 0 && e3.contains("--speed"), "\(e3)")
  }
}
