import App
import ArgumentParser
import Foundation
import Reasoning
import Session
import Terminal

/// Interface numbers: frame render time at 120×40 from a recording's events, and how exactly a
/// headless replay keeps time.
struct BenchUICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-ui", abstract: "Measure frame rendering (120×40) and replay timing.")

  @Argument(help: "Recording (default: the first shipped one).") var file: String?
  @Option(help: "Frames to render.") var frames = 500

  func validate() throws { try OptionRanges.check("--frames", frames) }

  func run() throws {
    guard let path = file ?? Defaults.firstRecording() else { fail("no recording") }
    let t: Transcript
    do { t = try Transcript.load(path: path, lenient: true) } catch { fail("\(error)") }
    let state = ViewState()
    for e in t.events { state.apply(e) }
    var base = ViewModel()
    base.status = ["1/5 demo", "1.0x", "● REC"]
    var times: [Double] = []
    for i in 0..<frames {
      let now = t.duration * Double(i) / Double(frames)
      let start = DispatchTime.now().uptimeNanoseconds
      let vm = state.viewModel(now: now, ascii: false, base: base)
      _ = Renderer.render(vm, width: 120, height: 40)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    print(
      String(
        format: "render 120×40 (view model + grid, %d events): p50 %.3f ms, p99 %.3f ms, max %.3f ms", t.events.count,
        times[times.count / 2], times[times.count * 99 / 100], times.last!))
    // Replay timing: sleep-driven release of every event as `replay --headless` does, measured.
    var tl = ReplayTimeline(events: t.events, maxGap: 1e9)
    let start = Date()
    var worst = 0.0
    for i in t.events.indices {
      let due = tl.times[i]
      let wait = due - Date().timeIntervalSince(start)
      if wait > 0 { Thread.sleep(forTimeInterval: wait) }
      worst = max(worst, Date().timeIntervalSince(start) - due)
      tl.position = due
    }
    print(
      String(
        format: "replay of %.1f s at 1×: ended at %.3f s (worst event lateness %.1f ms)", tl.end, Date().timeIntervalSince(start),
        worst * 1000))
  }
}
