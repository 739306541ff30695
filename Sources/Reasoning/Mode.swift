/// What the reasoning loop is doing.
public enum Mode: String, Codable, Sendable {
  case listening  // user still speaking, nothing to do
  case thinking  // thinker only
  case thinkingAndSpeaking = "thinking+speaking"
  case speaking  // writer only (thoughts ended)
  case done

  /// The writer steps in this mode (its answer is being written and said).
  public var writes: Bool { self == .thinkingAndSpeaking || self == .speaking }
}
