import Foundation
import Testing

/// The mouse wheel in a real terminal (tmux): a replay asks for mouse events, and a wheel notch
/// (the SGR report tmux's xterm would send, typed into the pane) scrolls the pane under the
/// pointer; with --no-mouse the program sets no mouse mode, so the terminal keeps its own selection.
@Suite(.serialized) struct MouseTmuxTests {
  static let recording = TmuxTests.root.appendingPathComponent("Transcripts/recordings/demo-unit-cm.jsonl").path

  /// Starts a replay in a 120×32 tmux session; returns the session name once the panes show.
  static func start(_ extra: String) throws -> String {
    let bin = try #require(TmuxTests.binary(), "build the executable first (swift build)")
    let s = "avmouse\(getpid())\(extra.isEmpty ? "on" : "off")"
    let cmd = "TERM=xterm-256color '\(bin)' replay '\(recording)' --speed 4 \(extra); sleep 60"
    TmuxTests.tmux(["new-session", "-d", "-s", s, "-x", "120", "-y", "32", "sh", "-c", cmd])
    _ = TmuxTests.waitFor(s, "Speaking")
    return s
  }

  static func flag(_ s: String, _ name: String) -> String {
    TmuxTests.tmux(["display", "-p", "-t", s, "#{\(name)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The bottom border line of the panes (row 30 of 32: status and input below).
  static func bottomBorder(_ s: String) -> String {
    let lines = TmuxTests.tmux(["capture-pane", "-p", "-t", s]).split(separator: "\n", omittingEmptySubsequences: false)
    return lines.count > 29 ? String(lines[29]) : ""
  }

  /// An SGR mouse report: button 64 wheel up, 65 wheel down, at 1-based column/row.
  static func wheel(_ s: String, up: Bool, column: Int, row: Int) {
    TmuxTests.tmux(["send-keys", "-t", s, "-l", "\u{1b}[<\(up ? 64 : 65);\(column);\(row)M"])
  }

  @Test(
    "the wheel over the Thinking pane scrolls it (its border shows ↑ End) though Speaking has the focus; down follows again; quitting turns mouse mode off"
  )
  func wheelScrollsPaneUnderPointer() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxTests.TmuxMissing() }
    let s = try Self.start("")
    defer { TmuxTests.tmux(["kill-session", "-t", s]) }
    #expect(Self.flag(s, "mouse_any_flag") == "1", "the replay asked for mouse events")
    #expect(!Self.bottomBorder(s).contains("End"))
    Self.wheel(s, up: true, column: 50, row: 6)  // Thinking spans columns 34–76 at 120 wide
    var border = ""
    for _ in 0..<25 {
      border = Self.bottomBorder(s)
      if border.contains("End") { break }
      usleep(200_000)
    }
    // The mark sits at the right end of the Thinking pane's border, before Speaking's corner.
    let mark = try #require(border.range(of: "↑ End"), "\(border)")
    let column = border.distance(from: border.startIndex, to: mark.lowerBound)
    #expect(column > 33 && column < 76, "↑ End at column \(column): \(border)")
    Self.wheel(s, up: false, column: 50, row: 6)
    for _ in 0..<25 where Self.bottomBorder(s).contains("End") { usleep(200_000) }
    #expect(!Self.bottomBorder(s).contains("End"), "\(Self.bottomBorder(s))")
    // Quitting gives the terminal its mouse back.
    TmuxTests.tmux(["send-keys", "-t", s, "q"])
    for _ in 0..<25 where Self.flag(s, "mouse_any_flag") != "0" { usleep(200_000) }
    #expect(Self.flag(s, "mouse_any_flag") == "0" && Self.flag(s, "mouse_sgr_flag") == "0")
  }

  @Test("--no-mouse: no mouse mode is set (the terminal's own selection works)")
  func noMouse() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw TmuxTests.TmuxMissing() }
    let s = try Self.start("--no-mouse")
    defer { TmuxTests.tmux(["kill-session", "-t", s]) }
    for f in ["mouse_any_flag", "mouse_standard_flag", "mouse_button_flag", "mouse_all_flag"] {
      #expect(Self.flag(s, f) == "0", "\(f)")
    }
  }
}
