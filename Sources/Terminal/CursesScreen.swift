import CNcursesw
import Foundation

/// Keys the interface understands.
public enum Key: Equatable, Sendable {
  case char(Character), enter, escape, backspace, tab, up, down, left, right, pageUp, pageDown, home, end, resize, ctrlC
  /// One notch of the mouse wheel with the pointer at cell (x, y).
  case wheel(up: Bool, x: Int, y: Int)
}

nonisolated(unsafe) private var cursesActive = false
nonisolated(unsafe) private var quitSignal: Int32 = 0

/// The ncurses backend: presents grids (only changed cells are drawn) and reads keys without
/// blocking. Main thread only. Restores the terminal on quit, SIGINT/SIGTERM/SIGHUP/SIGQUIT and crashes.
/// With `mouse`, asks the terminal for wheel events (the terminal then keeps plain clicks for
/// itself only with Shift held); without it no mouse mask is set and the terminal's own text
/// selection works as usual.
public final class CursesScreen {
  private var previous: Grid?
  public private(set) var width = 0
  public private(set) var height = 0
  private let color: Bool

  public init(color: Bool, mouse: Bool = true) {
    setlocale(LC_ALL, "")
    initscr()
    cursesActive = true
    cbreak()
    noecho()
    nonl()
    keypad(av_stdscr(), true)
    nodelay(av_stdscr(), true)
    curs_set(0)
    set_escdelay(25)
    if mouse {
      _ = av_mousemask_wheel()
      _ = mouseinterval(0)  // no click detection delay: wheel notches come at once
    }
    self.color = color && has_colors()
    if self.color {
      start_color()
      use_default_colors()
      let pairs: [(Style, Int16, Int16)] = [
        (.border, Int16(COLOR_BLUE), -1), (.title, Int16(COLOR_CYAN), -1), (.focusTitle, Int16(COLOR_YELLOW), -1),
        (.heard, -1, -1), (.interjection, Int16(COLOR_MAGENTA), -1), (.thought, Int16(COLOR_CYAN), -1),
        (.mark, Int16(COLOR_YELLOW), -1), (.spoken, Int16(COLOR_GREEN), -1), (.unspoken, -1, -1),
        (.cut, Int16(COLOR_RED), -1), (.silence, Int16(COLOR_YELLOW), -1), (.status, Int16(COLOR_BLACK), Int16(COLOR_CYAN)),
        (.statusWarn, Int16(COLOR_WHITE), Int16(COLOR_RED)), (.input, -1, -1), (.help, Int16(COLOR_WHITE), Int16(COLOR_BLUE)),
      ]
      for (s, fg, bg) in pairs { init_pair(Int16(s.rawValue) + 1, fg, bg) }
    }
    // SIGHUP (terminal closed) and SIGQUIT (Ctrl-\) quit like SIGTERM: through the loop, which
    // restores the terminal (the runtime's crash reporter would otherwise take SIGQUIT).
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
      signal(sig) { s in quitSignal = s }
    }
    for sig in [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE] {
      signal(sig) { s in
        if cursesActive { endwin() }
        signal(s, SIG_DFL)
        raise(s)
      }
    }
    atexit { if cursesActive { endwin(); cursesActive = false } }
    refreshSize()
  }

  /// SIGINT, SIGTERM, SIGHUP or SIGQUIT arrived.
  public var quitRequested: Bool { quitSignal != 0 }

  public func refreshSize() {
    width = Int(av_cols())
    height = Int(av_lines())
    previous = nil
  }

  private func attributes(_ s: Style) -> UInt32 {
    var a: UInt32 = color ? av_color_pair(Int32(s.rawValue) + 1) : 0
    switch s {
    case .dim, .unspoken, .silence: a |= av_a_dim()
    case .bold, .focusTitle, .spoken: a |= av_a_bold()
    case .cut: a |= av_a_dim()
    case .status, .statusWarn: a |= color ? 0 : av_a_reverse()
    case .interjection: a |= av_a_bold()
    default: break
    }
    return a
  }

  public func present(_ g: Grid) {
    if previous?.width != g.width || previous?.height != g.height {
      erase()
      previous = nil
    }
    for y in 0..<g.height {
      var x = 0
      while x < g.width {
        let c = g[x, y]
        if let p = previous, p[x, y] == c { x += 1; continue }
        if c.text.isEmpty { x += 1; continue }  // right half of a wide character
        av_attrset(attributes(c.style))
        var w = c.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        w.append(0)
        _ = av_mvaddwstr(Int32(y), Int32(x), w)
        x += 1
      }
    }
    av_attrset(0)
    refresh()
    previous = g
  }

  /// The next key, or nil when none is waiting.
  public func readKey() -> Key? {
    var ch: wint_t = 0
    let r = av_get_wch(&ch)
    if r == av_err() { return nil }
    if r == KEY_CODE_YES {
      switch Int32(ch) {
      case av_key_resize(): refreshSize(); return .resize
      case KEY_MOUSE:
        var x: Int32 = 0, y: Int32 = 0, up: Int32 = 0
        return av_getmouse_wheel(&x, &y, &up) == 0 ? .wheel(up: up != 0, x: Int(x), y: Int(y)) : nil
      case KEY_UP: return .up
      case KEY_DOWN: return .down
      case KEY_LEFT: return .left
      case KEY_RIGHT: return .right
      case KEY_PPAGE: return .pageUp
      case KEY_NPAGE: return .pageDown
      case KEY_HOME: return .home
      case KEY_END: return .end
      case KEY_BACKSPACE: return .backspace
      case KEY_ENTER: return .enter
      default: return nil
      }
    }
    switch ch {
    case 3: return .ctrlC
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    default:
      guard let s = Unicode.Scalar(UInt32(ch)) else { return nil }
      return .char(Character(s))
    }
  }

  /// Leaves curses mode and gives the terminal back.
  public func close() {
    if cursesActive {
      endwin()
      cursesActive = false
    }
  }

  deinit { close() }
}
