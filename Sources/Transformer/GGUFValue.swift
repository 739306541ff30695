/// A metadata value of a GGUF file.
public enum GGUFValue: Sendable, Equatable {
  case uint(UInt64)
  case int(Int64)
  case float(Double)
  case bool(Bool)
  case string(String)
  case array([GGUFValue])

  public var int: Int? {
    switch self {
    case .uint(let v): return v <= UInt64(Int.max) ? Int(v) : nil
    case .int(let v): return Int(v)
    default: return nil
    }
  }
  public var double: Double? {
    switch self {
    case .float(let v): return v
    case .uint(let v): return Double(v)
    case .int(let v): return Double(v)
    default: return nil
    }
  }
  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }
  public var array: [GGUFValue]? {
    if case .array(let a) = self { return a }
    return nil
  }
}
