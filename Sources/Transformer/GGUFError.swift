/// Everything that can be wrong with a model file, each saying what, where, expected and got.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
  case cannotOpen(path: String, reason: String)
  case badMagic(got: String)
  case unsupportedVersion(got: UInt32)
  case truncated(at: Int, need: Int, what: String, fileSize: Int)
  case unknownValueType(key: String, type: UInt32)
  case implausibleCount(what: String, count: UInt64, at: Int)
  case badString(at: Int)
  case badAlignment(UInt64)
  case unknownTensorType(name: String, type: UInt32)
  case badTensorDims(name: String, dims: [UInt64])
  case tensorPastEnd(name: String, end: Int, fileSize: Int)
  case duplicateTensor(name: String)
  case missingKey(String)
  case wrongKeyType(key: String, expected: String)
  case missingTensor(String)
  case wrongTensorShape(name: String, expected: [Int], got: [Int])
  case unsupportedTensorType(name: String, type: String)
  case unsupportedArchitecture(String)
  case badConfig(String)

  public var description: String {
    switch self {
    case .cannotOpen(let p, let r): return "cannot open model file \(p): \(r)"
    case .badMagic(let g): return "not a GGUF file: magic is \(g), expected \"GGUF\""
    case .unsupportedVersion(let v): return "unsupported GGUF version \(v) (expected 2 or 3)"
    case .truncated(let at, let need, let what, let size):
      return "truncated GGUF: \(what) needs \(need) bytes at offset \(at), but the file has \(size) bytes"
    case .unknownValueType(let k, let t): return "metadata key '\(k)' has unknown value type \(t)"
    case .implausibleCount(let w, let c, let at): return "implausible \(w) \(c) at offset \(at)"
    case .badString(let at): return "string at offset \(at) is not valid UTF-8"
    case .badAlignment(let a): return "general.alignment is \(a), expected a power of two ≤ 65536"
    case .unknownTensorType(let n, let t): return "tensor '\(n)' has unknown type id \(t)"
    case .badTensorDims(let n, let d): return "tensor '\(n)' has invalid dimensions \(d)"
    case .tensorPastEnd(let n, let e, let s):
      return "tensor '\(n)' ends at byte \(e), past the end of the file (\(s) bytes)"
    case .duplicateTensor(let n): return "tensor '\(n)' appears twice"
    case .missingKey(let k): return "missing metadata key '\(k)'"
    case .wrongKeyType(let k, let e): return "metadata key '\(k)' should be \(e)"
    case .missingTensor(let n): return "missing tensor '\(n)'"
    case .wrongTensorShape(let n, let e, let g): return "tensor '\(n)' has shape \(g), expected \(e)"
    case .unsupportedTensorType(let n, let t): return "tensor '\(n)' has type \(t), which this engine cannot run"
    case .unsupportedArchitecture(let a):
      return "unsupported architecture '\(a)' (supported: llama, qwen2, qwen3)"
    case .badConfig(let s): return "invalid model configuration: \(s)"
    }
  }
}
