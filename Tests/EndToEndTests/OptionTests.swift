import Foundation
import Testing

/// Runs the built binary with bad option values and bad paths: each is one line on stderr that
/// names the option (or path) and what is allowed, and exit status 2, before any model loads.
@Suite struct OptionTests {
  struct Run {
    var status: Int32
    var stderr: String
    var stdout: String
  }

  /// Runs the binary; a run still going after `timeout` seconds is killed (a hang fails the test).
  /// With `shell`, `args` is a whole command line (its first element the program), else the
  /// binary's arguments.
  static func run(_ args: [String], timeout: Double = 20, shell: Bool = false) throws -> Run {
    let bin = try #require(TmuxTests.binary(), "build the executable first (swift build)")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: shell ? args[0] : bin)
    p.arguments = shell ? Array(args.dropFirst()) : args
    p.currentDirectoryURL = TmuxTests.root
    let err = Pipe(), out = Pipe()
    p.standardError = err
    p.standardOutput = out
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(10_000) }
    let hung = p.isRunning
    if hung { p.terminate() }
    p.waitUntilExit()
    #expect(!hung, "\(args) still running after \(timeout) s")
    return Run(
      status: p.terminationStatus, stderr: String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
      stdout: String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
  }

  /// Every numeric option of every command, with the arguments the command needs besides it, and
  /// whether 0 is an allowed value (then 0 is not fed).
  static let numeric: [(command: [String], option: String, zeroAllowed: Bool)] = {
    let engine = [
      "--threads", "--temperature", "--thought-budget", "--speak-after", "--speak-after-lines", "--answer-budget",
      "--probe-interval", "--probe-at-end",
      "--probe-at-lines", "--split-stale", "--wpm", "--seed",
    ]
    let zeroOK: Set<String> = [
      "--temperature", "--thought-budget", "--speak-after", "--speak-after-lines", "--probe-at-end", "--probe-at-lines",
      "--split-stale", "--top-k",
      "--min-p", "--top-logits", "--seed",
    ]
    var rows: [([String], String)] = []
    for c in [["run", "x.jsonl"], ["eval"], ["probe-check"], ["demo"]] { rows += engine.map { (c, $0) } }
    rows += [(["eval"], "--limit"), (["eval"], "--repeat"), (["probe-check"], "--limit")]
    rows += [
      "--max-tokens", "--temperature", "--top-k", "--top-p", "--min-p", "--repeat-penalty", "--threads", "--top-logits", "--seed",
    ]
    .map { (["generate", "--prompt", "hi"], $0) }
    rows += ["--threads", "--steps", "--repetitions", "--context", "--blas-min-rows"].map { (["bench"], $0) }
    rows += [(["bench-ui"], "--frames"), (["export", "x.jsonl", "--vtt", "/tmp/x.vtt"], "--fps")]
    rows += [(["export", "x.jsonl", "--vtt", "/tmp/x.vtt"], "--cast-version"), (["eval"], "--clock-costs")]
    rows += [(["replay"], "--speed"), (["replay"], "--max-gap")]
    return rows.map { ($0.0, $0.1, zeroOK.contains($0.1)) }
  }()

  static let cases: [([String], String, String)] = numeric.flatMap { row in
    ["-1", "0", "nan", "inf", "1e300"].filter { $0 != "0" || !row.zeroAllowed }.map { (row.command, row.option, $0) }
  }

  @Test("a bad number for any option: one line naming it and its range, exit 2", arguments: cases)
  func badNumber(command: [String], option: String, value: String) throws {
    for args in [command + ["\(option)=\(value)"], command + [option, value]] {
      let r = try Self.run(args)
      let lines = r.stderr.split(separator: "\n")
      #expect(r.status == 2, "\(args): exit \(r.status), \(r.stderr)")
      #expect(lines.count == 1, "\(args): \(r.stderr)")
      #expect(r.stderr.contains(option) && (r.stderr.contains(" from ") || r.stderr.contains(" above ")), "\(args): \(r.stderr)")
    }
  }

  @Test(
    "unknown command, a directory as --model, an unknown --prompts name, unwritable outputs",
    arguments: [
      (["nosuchcommand"], "'nosuchcommand' is neither a command"),
      (["generate", "--prompt", "hi", "--model", "/tmp"], "/tmp: is a directory, expected a GGUF file"),
      (["run", "x.jsonl", "--prompts", "nosuch"], "--prompts nosuch: no built-in prompt set of that name"),
      (["eval", "--json", "/tmp"], "--json /tmp: is a directory, expected a regular file or a new path"),
      (["eval", "--json", "/dev/null"], "--json /dev/null: is a character device"),
      (["export", "Transcripts/recordings", "--cast", "/dev/null"], "--cast /dev/null: is a character device"),
      (["export", "x.jsonl", "--vtt", "/x.vtt", "--size", "100000x100000"], "--size must be WIDTHxHEIGHT from"),
    ])
  func clearMessages(args: [String], message: String) throws {
    let r = try Self.run(args)
    #expect(r.status != 0)
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
    #expect(!r.stderr.contains("NSCocoaErrorDomain"))
  }
}
