import Foundation
import Testing

/// The cache map in the built binary: a recording made now (`run --virtual-time --record` on the
/// small model; the shipped recordings predate `layout` events) replays in tmux, and `k` shows
/// each view's blocks; a shipped (1.1) recording says it has no layout; `run --cache-map` prints it.
@Suite(.serialized) struct CacheMapTmuxTests {
  static func record() throws -> String {
    try #require(FileManager.default.fileExists(atPath: OutputTests.small), "run scripts/setup.sh for the small model")
    let rec = ExportTests.temp("jsonl")
    let scenario = TmuxTests.root.appendingPathComponent("Transcripts/scenarios/interject-24.jsonl").path
    let (status, _, err) = try ExportTests.run([
      "run", scenario, "--virtual-time", "--quiet", "--record", rec, "--model", OutputTests.small,
    ])
    try #require(status == 0, "\(err)")
    return rec
  }

  @Test("k in a replay of a fresh recording shows the cache map; k again the panes")
  func keyShowsMap() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxTests.TmuxMissing() }
    let bin = try #require(TmuxTests.binary(), "build the executable first (swift build)")
    let rec = try Self.record()
    defer { unlink(rec) }
    let text = try String(contentsOfFile: rec, encoding: .utf8)
    #expect(text.contains(#""type":"layout""#) && text.contains(#""version":"1.2""#))
    var socket = "avmap\(getpid())"
    let s = "avmap"
    func tmux(_ args: [String]) -> String { TmuxTests.tmux(socket: socket, args) }
    func waitFor(_ text: String) -> String { TmuxTests.waitFor(s, text, socket: socket) }
    defer { _ = tmux(["kill-server"]) }
    let cmd = "TERM=xterm-256color '\(bin)' replay '\(rec)' --no-mouse; sleep 60"
    _ = tmux(["new-session", "-d", "-s", s, "-x", "120", "-y", "40", "sh", "-c", cmd])
    _ = waitFor("Speaking")
    _ = tmux(["send-keys", "-t", s, "9"])  // to 90 %: the layouts up to there folded
    _ = waitFor("done")
    _ = tmux(["send-keys", "-t", s, "-l", "k"])
    // The legend is the map's last line: waiting for it, not for the first table line, keeps a
    // capture taken while tmux is still drawing the map out (CI once caught the table half drawn).
    let map = waitFor("(paper §3.3)")
    #expect(map.contains("Cache map") && map.contains("writer view:") && map.contains("THOUGHTS"), "\(map)")
    #expect(map.contains("rotates the query"), "\(map)")
    #expect(!map.contains("Listening"), "\(map)")
    _ = tmux(["send-keys", "-t", s, "-l", "k"])
    // Until the map's lines are drawn over too, for the same reason.
    var panes = waitFor("Listening")
    for _ in 0..<50 where panes.contains("thinker view:") {
      usleep(100_000)
      panes = tmux(["capture-pane", "-p", "-t", s])
    }
    #expect(panes.contains("Listening") && !panes.contains("thinker view:"), "\(panes)")
    _ = tmux(["send-keys", "-t", s, "q"])

    // A 1.1 recording (the 0.5B's of 2026-11-28, kept as a fixture): the map says there is no layout.
    // A server of its own: killing the last session ends a server, and a session started on the
    // same socket while it exits may not start (CI once captured an empty screen here).
    let old = ExportTests.recording
    _ = tmux(["kill-server"])
    socket = "avmap1_1\(getpid())"
    let cmd2 = "TERM=xterm-256color '\(bin)' replay '\(old)' --no-mouse; sleep 60"
    _ = tmux(["new-session", "-d", "-s", s, "-x", "80", "-y", "24", "sh", "-c", cmd2])
    _ = waitFor("Speaking")
    _ = tmux(["send-keys", "-t", s, "-l", "k"])
    let none = waitFor("No cache layout yet")
    #expect(none.contains("before format 1.2"), "\(none)")
  }

  @Test("run --cache-map prints the map at mode switches and at the end; replay --headless --cache-map too")
  func textMap() throws {
    try #require(FileManager.default.fileExists(atPath: OutputTests.small), "run scripts/setup.sh for the small model")
    let rec = ExportTests.temp("jsonl")
    defer { unlink(rec) }
    let scenario = TmuxTests.root.appendingPathComponent("Transcripts/scenarios/interject-24.jsonl").path
    // Spoken at 40 words per minute the first answer is still being said when the interjection
    // comes, so the map after it lists a cut whatever SmolLM2 answers.
    let run = try ExportTests.run([
      "run", scenario, "--virtual-time", "--cache-map", "--wpm", "40", "--record", rec, "--model", OutputTests.small,
    ])
    try #require(run.0 == 0, "\(run.2)")
    let maps = run.1.components(separatedBy: "── cache map at").count - 1
    #expect(maps >= 3, "a map at the first layout, at mode switches and the hold, and at the end: \(run.1)")
    #expect(run.1.contains("[mode]") && run.1.contains("answer:") && !run.1.contains("[layout]"))
    #expect(
      run.1.contains("truncation: ANSWER") || run.1.contains("hold: ANSWER"),
      "the interjection's cut is on the map printed after it")
    let (status, out, err) = try ExportTests.run(["replay", rec, "--headless", "--cache-map", "--speed", "64"])
    try #require(status == 0, "\(err)")
    #expect(out.contains("── cache map at"))
    #expect(out.contains("thinker view:") && out.contains("writer view:"))
    #expect(!out.contains("[layout]"))  // the layout lines themselves are not printed
    let plain = try ExportTests.run(["replay", rec, "--headless", "--speed", "64"]).1
    #expect(!plain.contains("cache map") && !plain.contains("[layout]"))
  }

  @Test("k in the live demo shows the cache map of the running session, and k again the panes")
  func keyInLiveDemo() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxTests.TmuxMissing() }
    let bin = try #require(TmuxTests.binary())
    try #require(FileManager.default.fileExists(atPath: OutputTests.small), "run scripts/setup.sh for the small model")
    let s = "avlivemap\(getpid())"
    defer { TmuxTests.tmux(["kill-session", "-t", s]) }
    LiveDemoTests.start(s, "TERM=xterm-256color '\(bin)' demo arith-times --no-record --no-mouse --model '\(OutputTests.small)'")
    let first = TmuxTests.waitFor(s, "seventeen", timeout: 120)
    #expect(first.contains("Listening"), "\(first)")
    LiveDemoTests.keys(s, "k")
    let map = TmuxTests.waitFor(s, "writer view:", timeout: 20)
    #expect(map.contains("Cache map") && map.contains("thinker view:") && map.contains("input"), "\(map)")
    LiveDemoTests.keys(s, "k")
    #expect(TmuxTests.waitFor(s, "Listening", timeout: 20).contains("Listening"))
    LiveDemoTests.keys(s, "q")
    #expect(TmuxTests.waitFor(s, "DEMO-EXITED", timeout: 30).contains("DEMO-EXITED=0"))
  }
}
