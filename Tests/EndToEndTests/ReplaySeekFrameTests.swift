import Foundation
import Testing

/// Seeking in a replay: the built binary prints the frames the screen would draw for a script of
/// plays, seeks and keys (`replay --frames`, no terminal), and a frame after a seek must be the
/// frame of playing from the start to that instant, backwards as well as forwards.
@Suite(.serialized) struct ReplaySeekFrameTests {
  static let recording = TmuxTests.root.appendingPathComponent(
    "Tests/EndToEndTests/Fixtures/recording-0.5b-interject-shorter.jsonl"
  ).path

  /// (label, grid text) per frame.
  static func frames(_ script: String) -> [(label: String, text: String)] {
    guard let bin = TmuxTests.binary() else { return [] }
    let out = TmuxTests.sh([bin, "replay", recording, "--frames", script, "--frame-size", "120x32"])
    return out.components(separatedBy: "@@ ").dropFirst().map { chunk in
      let nl = chunk.firstIndex(of: "\n") ?? chunk.endIndex
      return (String(chunk[..<nl]), String(chunk[nl...]))
    }
  }

  @Test("seeking to t and playing on draws the frames of playing from the start")
  func seekThenPlay() throws {
    try #require(TmuxTests.binary() != nil, "build first: swift build -c release")
    let played = Self.frames("+0*1,+0.25*56")  // frames at 0, 0.25, …, 14 s (the length is 13.9 s)
    try #require(played.count == 57)
    #expect(played[40].label.hasPrefix("+0.25 10.0/"))
    #expect(played[0].text != played[56].text)

    let forward = Self.frames("@5,+0.25*36")  // seek to 5 s, play on to 14 s
    try #require(forward.count == 37)
    for j in 0..<37 { #expect(forward[j].text == played[20 + j].text, "frame \(j) after seeking to 5 s") }

    // Back and forth: 12 s → 3 s → play to 6 s → ←/→ keys → Home; each rebuilt exactly.
    let back = Self.frames("@12,@3,+0.25*12,<,>,>,home,+0.25*2")
    try #require(back.count == 20)
    #expect(back[0].text == played[48].text)
    #expect(back[1].text == played[12].text)
    for j in 0..<12 { #expect(back[2 + j].text == played[13 + j].text) }
    #expect(back[14].text == played[4].text, "← from 6 s")
    #expect(back[15].text == played[24].text, "→ to 6 s")
    #expect(back[16].text == played[44].text, "→ to 11 s")
    #expect(back[17].text == played[0].text, "Home")
    #expect(back[18].text == played[1].text)
    #expect(back[19].text == played[2].text)
    #expect(back[0].text.contains("12.0/13.9 s"))
  }

  @Test("digit keys jump to tenths of the length; End to the end")
  func digitsAndEnd() throws {
    try #require(TmuxTests.binary() != nil, "build first: swift build -c release")
    let f = Self.frames("5,end,0")
    try #require(f.count == 3)
    let parts = f[1].label.split(separator: " ")[1].split(separator: "/")
    let length = try #require(Double(parts[0]))
    #expect(parts[1] == "\(parts[0])")
    #expect(f[0].label.contains(String(format: "%.1f/", length / 2)))
    #expect(f[2].label.hasPrefix("0 0.0/"))
    #expect(f[0].text != f[1].text)
  }

  @Test("the keys seek in the built binary in tmux: digits, ←/→, Home/End")
  func keysInTmux() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxTests.TmuxMissing() }
    let bin = try #require(TmuxTests.binary(), "build first: swift build -c release")
    let socket = "avseek\(getpid())"
    func tmux(_ args: [String]) -> String { TmuxTests.tmux(socket: socket, args) }
    func waitFor(_ text: String) -> String { TmuxTests.waitFor("seek", text, socket: socket) }
    defer { _ = tmux(["kill-server"]) }
    // tmux's own terminal type: tmux sends Home/End as ESC [1~ / ESC [4~, which xterm's terminfo does not name.
    _ = tmux([
      "new-session", "-d", "-s", "seek", "-x", "120", "-y", "32", "sh", "-c",
      "TERM=tmux-256color '\(bin)' replay '\(Self.recording)'; sleep 30",
    ])
    #expect(waitFor("Speaking").contains("Listening"))
    _ = tmux(["send-keys", "-t", "seek", "Space"])  // pause, so the position stays where the keys put it
    #expect(waitFor("paused").contains("⏸ paused"))
    for (key, label) in [
      ("5", "7.0/13.9 s"), ("Left", "2.0/13.9 s"), ("Right", "7.0/13.9 s"), ("End", "13.9/13.9 s"), ("Home", "0.0/13.9 s"),
      ("9", "12.5/13.9 s"),
    ] {
      _ = tmux(["send-keys", "-t", "seek", key])
      let screen = waitFor(label)
      #expect(
        screen.contains(label), "after \(key): \(screen.split(separator: "\n").last(where: { $0.contains("/13.9 s") }) ?? "")")
    }
    #expect(waitFor("» wait, make it shorter").contains("[interjection]"), "rebuilt at 12.5 s after seeking back to the start")
  }
}
