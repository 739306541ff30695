import Foundation
import Reasoning
import Session
import Terminal

/// The three-pane screen loop (main thread): keys, ≤30 frames per second from snapshots, and
/// the terminal restored on every way out.
public final class InteractiveApp {
  let source: EventSourceDriver
  let ascii: Bool
  let color: Bool
  let mouse: Bool
  /// The screen's size at the last frame (where a wheel notch lands).
  var size = (width: 0, height: 0)
  var vm = ViewModel()
  var state = ViewState()
  var consumed = 0

  /// `mouse`: the wheel scrolls the pane under the pointer (`--no-mouse` turns it off).
  public init(source: EventSourceDriver, ascii: Bool, color: Bool, mouse: Bool = true) {
    self.source = source
    self.ascii = ascii
    self.color = color
    self.mouse = mouse
    vm.ascii = ascii
  }

  public func run() {
    let screen = CursesScreen(color: color, mouse: mouse)
    defer { screen.close() }
    var last = Date()
    var now = 0.0
    var frameTimes: [Date] = []
    loop: while !screen.quitRequested {
      size = (screen.width, screen.height)
      while let key = screen.readKey() {
        if handle(key) == false { break loop }
      }
      let t = Date()
      now = pollAndApply(wall: t.timeIntervalSince(last))
      last = t
      frameTimes.append(t)
      frameTimes.removeAll { t.timeIntervalSince($0) > 1 }
      screen.present(frame(now: now, width: screen.width, height: screen.height, extraStatus: ["\(frameTimes.count) fps"]))
      usleep(33_000)
    }
  }

  /// Takes the source's new events (after a reset or seek, every event up to now again: the
  /// screen state is a fold over the events) and returns the session time.
  func pollAndApply(wall dt: Double) -> Double {
    let (events, n, reset) = source.poll(wall: dt)
    if reset { state = ViewState() }
    for e in events { state.apply(e) }
    return n
  }

  /// The screen at session time `now` (the headless frame printer uses this too).
  func frame(now: Double, width: Int, height: Int, extraStatus: [String] = []) -> Grid {
    var base = vm
    base.status = source.statusFields + extraStatus
    return Renderer.render(state.viewModel(now: now, ascii: ascii, base: base), width: width, height: height)
  }

  /// Returns false to quit.
  func handle(_ key: Key) -> Bool {
    switch key {
    case .char(let c) where vm.input.isEmpty && c.isASCII && c.isNumber:
      let d = Double(String(c))!
      if !source.seek(.fraction(d / 10)) { vm.input.append(c) }
    case .left: _ = source.seek(.by(-ReplayTimeline.seekStep))
    case .right: _ = source.seek(.by(ReplayTimeline.seekStep))
    case .ctrlC: return false
    case .char("q") where vm.input.isEmpty: return false
    case .char("?") where vm.input.isEmpty: vm.showHelp.toggle()
    case .char(" ") where vm.input.isEmpty: source.togglePause()
    case .char("+") where vm.input.isEmpty: source.changeSpeed(2)
    case .char("-") where vm.input.isEmpty: source.changeSpeed(0.5)
    case .char("n") where vm.input.isEmpty: source.next()
    case .char("k") where vm.input.isEmpty: vm.showCacheMap.toggle()
    case .char(".") where vm.input.isEmpty: source.step()
    case .char("]") where vm.input.isEmpty: source.jump(forward: true)
    case .char("[") where vm.input.isEmpty: source.jump(forward: false)
    case .char(let c): vm.input.append(c)
    case .backspace: if !vm.input.isEmpty { vm.input.removeLast() }
    case .escape: vm.input = ""; vm.showHelp = false
    case .enter:
      let text = vm.input.trimmingCharacters(in: .whitespaces)
      if !text.isEmpty { source.interject(text) }
      vm.input = ""
    case .tab: vm.focus = ViewModel.Pane(rawValue: (vm.focus.rawValue + 1) % 3)!
    case .up: vm.scroll[vm.focus.rawValue] += 1
    case .down: vm.scroll[vm.focus.rawValue] = max(0, vm.scroll[vm.focus.rawValue] - 1)
    case .pageUp: vm.scroll[vm.focus.rawValue] += 10
    case .pageDown: vm.scroll[vm.focus.rawValue] = max(0, vm.scroll[vm.focus.rawValue] - 10)
    case .end:
      vm.scroll[vm.focus.rawValue] = 0
      _ = source.seek(.end)
    case .home: if !source.seek(.start) { vm.scroll[vm.focus.rawValue] = 10_000 }
    case .wheel(let up, let x, let y): vm.wheel(up: up, x: x, y: y, width: size.width, height: size.height)
    case .resize: break
    }
    return true
  }
}
