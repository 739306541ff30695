/// The streams of the method.
public enum StreamKind: String, Codable, Sendable { case thinker, writer }
