/// What the reasoning loop is doing.
public enum Mode: String, Codable, Sendable {
  case listening  // user still speaking, nothing to do
  case thinking  // thinker only
  case thinkingAndSpeaking = "thinking+speaking"
  case speaking  // writer only (thoughts ended)
  case done
}
