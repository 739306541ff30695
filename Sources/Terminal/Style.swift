/// Text styles the renderer uses; the backend maps them to colours and attributes.
public enum Style: UInt8, Sendable {
  case normal, dim, bold, border, title, focusTitle, heard, interjection, thought, mark, spoken, unspoken, cut, silence
  case status, statusWarn, input, help
}

extension Style {
  /// The SGR parameters of the style in an ANSI terminal (colours and attributes as the curses
  /// backend draws them), for casts.
  public var sgr: String {
    switch self {
    case .normal, .heard, .input: return "0"
    case .dim: return "0;2"
    case .bold: return "0;1"
    case .border: return "0;34"
    case .title, .thought: return "0;36"
    case .focusTitle: return "0;1;33"
    case .interjection: return "0;1;35"
    case .mark: return "0;33"
    case .spoken: return "0;1;32"
    case .unspoken: return "0;2"
    case .cut: return "0;2;31"
    case .silence: return "0;2;33"
    case .status: return "0;30;46"
    case .statusWarn: return "0;37;41"
    case .help: return "0;37;44"
    }
  }
}
