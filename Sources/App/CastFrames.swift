import Foundation
import Reasoning
import Session
import Terminal

/// The frames of an asciicast: the replay's screen, drawn by the same fold and renderer.
public enum CastFrames {
  /// The screen as the replay shows it, every 1/fps seconds from 0 to the end plus 2 s, one
  /// entry per changed frame (ANSI text with the screen's styles that repaints the whole screen).
  public static func frames(_ t: Transcript, width w: Int, height h: Int, fps: Double) -> [(t: Double, ansi: String)] {
    let state = ViewState()
    var i = 0
    let end = t.duration + 2
    var prev: Grid? = nil
    var out: [(Double, String)] = []
    var n = 0
    while Double(n) / fps <= end {
      let frame = Double(n) / fps
      while i < t.events.count && t.events[i].t <= frame { state.apply(t.events[i]); i += 1 }
      var base = ViewModel()
      base.status = [t.id, "replay"]
      let g = Renderer.render(state.viewModel(now: frame, ascii: false, base: base), width: w, height: h)
      if g != prev {
        out.append(
          (
            frame,
            "\u{1b}[H"
              + g.ansiLines.map { $0 + "\u{1b}[K" }.joined(separator: "\r\n")
          ))
        prev = g
      }
      n += 1
    }
    return out
  }
}
