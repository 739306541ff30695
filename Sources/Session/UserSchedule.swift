import Reasoning

/// When the user's side of a scenario happens: each event at its scripted time, except the next
/// turn. Words after an end of utterance (not an interjection) are held until the answer before
/// them is over, then come after the pause the scenario puts between that end of utterance and
/// them (at least 0.5 s); every later event moves along by the same amount.
///
/// The one place of this rule, for virtual and live runs alike. Pure: the runner reports when the
/// answer is over and asks what is due.
public struct UserSchedule: Sendable {
  public let events: [TimedEvent]
  /// Events released so far.
  public private(set) var released = 0
  /// How far later events were pushed back by answers.
  public private(set) var offset = 0.0
  /// The scripted time of the last end of utterance released, until the next word is.
  private var lastEndOfUtterance: Double?
  private var answerOverAt: Double?

  /// `start`: the clock's time when the user starts (a scenario's time 0). A live run's clock
  /// starts before the session has encoded its prompts; the user speaks once it is ready.
  public init(_ events: [TimedEvent], startingAt start: Double = 0) {
    self.events = events
    offset = start
  }

  public var remaining: Int { events.count - released }

  /// True when the next event is the first word of a next turn, still waiting for the answer.
  public var holdsNextTurn: Bool {
    guard released < events.count, case .heard = events[released].event else { return false }
    return lastEndOfUtterance != nil && answerOverAt == nil
  }

  /// The answer before the held turn is over at `t` (complete and spoken): the turn's pause
  /// starts then. Later reports for the same turn change nothing.
  public mutating func answerOver(at t: Double) {
    guard holdsNextTurn, let eou = lastEndOfUtterance else { return }
    let first = events[released].t
    offset = max(offset, t + max(0.5, first - eou) - first)
    answerOverAt = t
  }

  /// When the next event is due (nil: none left, or held for the answer).
  public var nextTime: Double? {
    released < events.count && !holdsNextTurn ? events[released].t + offset : nil
  }

  /// Releases the events due at `now`, in order, each at the time it was due (the user said it
  /// then, however busy the engine was).
  public mutating func release(upTo now: Double) -> [TimedEvent] {
    var due: [TimedEvent] = []
    while let t = nextTime, t <= now + 1e-9 {
      let e = events[released].event
      switch e {
      case .heard where lastEndOfUtterance != nil:
        lastEndOfUtterance = nil
        answerOverAt = nil
      case .endOfUtterance:
        lastEndOfUtterance = events[released].t
        answerOverAt = nil
      default: break
      }
      due.append(TimedEvent(t: t, event: e))
      released += 1
    }
    return due
  }
}
