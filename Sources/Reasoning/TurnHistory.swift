/// Earlier turns as the listener heard them (each question, and the spoken part of its answer —
/// never the thoughts), which the history blocks hold, and the bookkeeping of turns: the index,
/// the limit past which the oldest turns are dropped, and a next turn prepared ahead.
public struct TurnHistory: Sendable {
  public typealias Turn = (user: String, assistant: String)
  public internal(set) var turns: [Turn] = []
  public internal(set) var index = 0
  /// History tokens kept per view; older turns are dropped (with an event) beyond it.
  public var tokenLimit: Int
  /// The next turn's set-up (history block, emptied streams) already done while idle.
  public internal(set) var nextTurnPrepared = false
  /// Turns dropped when the prepared turn was set up (its `turn` event says so when it begins).
  var preparedDrops = 0
  /// The answer and delays of the last finished turn, kept when the next one is prepared.
  public internal(set) var lastTurn: (answer: String, metrics: DelayMetrics)?

  public init(tokenLimit: Int) { self.tokenLimit = tokenLimit }

  /// Closes the turn: the question (when the user said anything) and its spoken answer join the
  /// history, and the oldest turns are dropped until the history's text, encoded by `encode`,
  /// fits in `room` tokens. Returns the encoded history and how many turns were dropped.
  mutating func close(question: String, spoken: String, room: Int, encode: ([Turn]) -> [Int32]) -> (ids: [Int32], dropped: Int) {
    if !question.isEmpty { turns.append((question, spoken)) }
    var dropped = 0
    var ids = encode(turns)
    while ids.count > room && !turns.isEmpty {
      turns.removeFirst()
      dropped += 1
      ids = encode(turns)
    }
    index += 1
    return (ids, dropped)
  }
}
