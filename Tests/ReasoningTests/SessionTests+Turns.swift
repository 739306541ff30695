import Foundation
import Kernels
import Reasoning
import Session
import Testing
import Transformer

/// Turns: the history the next turn sees, its limit, and the turn prepared while the user is silent.
extension SessionTests {
  @Test("the next utterance after an answer is a new turn that sees the heard conversation, not the thoughts")
  func turnsCarryTheHeardConversation() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(engine: e, prompts: .instruct, options: options(.async, answer: 12), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    let first = words("What is two plus two?")
    let second = words("And three plus three?", start: first.last!.t + 1)
    runner.run(first + second)
    let turnAt = try #require(runner.events.firstIndex { if case .turn = $0.event { return true } else { return false } })
    #expect(runner.events[turnAt].event == .turn(index: 1, droppedTurns: 0))
    let before = runner.events[..<turnAt]
    let spoken = before.compactMap { ev -> String? in if case .spoken(let s, _, _) = ev.event { return s } else { return nil } }
      .joined()
    let thoughts = before.compactMap { ev -> String? in
      if case .token(.thinker, let s) = ev.event { return s } else { return nil }
    }.joined()
    #expect(session.turns.count == 1)
    #expect(session.turns[0].user == "What is two plus two?")
    #expect(session.turns[0].assistant == spoken.trimmingCharacters(in: .whitespacesAndNewlines))
    let history = PromptSet.instruct.historyText(session.turns)
    #expect(!thoughts.isEmpty && !history.contains(thoughts.trimmingCharacters(in: .whitespacesAndNewlines)))
    let want = e.tokenizer.encodePlain(history).count
    #expect(session.historyLengths.thinker == want && session.historyLengths.writer == want)
    // the second turn's input holds only the second question
    #expect(session.heardWords == ["And", "three", "plus", "three?"])
    #expect(session.inputLengths.thinker == e.tokenizer.encodePlain("And three plus three?").count)
  }

  @Test("past the history limit the oldest turns are dropped, with an event")
  func oldestTurnsDropAtTheLimit() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(engine: e, prompts: .instruct, options: options(.nothink, answer: 8), clock: VirtualClock())
    session.historyTokenLimit = 40
    let runner = ScenarioRunner(session: session)
    var user: [TimedEvent] = []
    for q in ["Name a colour.", "Name a fruit.", "Name an animal.", "Name a city."] {
      user += words(q, start: (user.last?.t ?? 0) + 1)
    }
    runner.run(user)
    let turns = runner.events.compactMap { ev -> (Int, Int)? in
      if case .turn(let i, let d) = ev.event { return (i, d) } else { return nil }
    }
    #expect(turns.map(\.0) == [1, 2, 3])
    #expect(turns.contains { $0.1 > 0 })
    #expect(session.historyLengths.thinker <= 40 && session.historyLengths.thinker > 0)
    #expect(session.turns.last?.user == "Name an animal.")
  }

  @Test("after a spoken answer the next turn is set up while the user is silent; the result keeps the answered turn")
  func nextTurnPreparedWhileSilent() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(engine: e, prompts: .instruct, options: options(.nothink, answer: 8), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    let first = words("Name a colour.")
    runner.run(first + words("Name a fruit.", start: first.last!.t + 2))
    let events = runner.events.filter { if case .layout = $0.event { return false } else { return true } }  // the map's
    let heard = events.filter { if case .heard = $0.event { return true } else { return false } }
    let turn = events.firstIndex { if case .turn = $0.event { return true } else { return false } }
    let second = events.firstIndex { $0.t == heard[3].t && $0.event == heard[3].event }
    #expect(turn != nil && turn! + 1 == second)  // the turn event comes with the first word of the next question
    #expect(session.historyLengths.thinker > 0)
    #expect(session.turns.count == 1 && session.turns[0].user == "Name a colour.")
    let answer = session.answerText
    #expect(!answer.isEmpty)
    #expect(!session.prepareNextTurn())  // not before the answer has been spoken
    session.clock.wait(until: session.speech.endOfSpeech)
    #expect(session.prepareNextTurn())  // idle after the last answer, as the demo is
    #expect(session.answerText.isEmpty && session.turns.count == 2)
    let r = runner.result(id: "x", mode: .nothink, expected: nil)
    #expect(r.answer == answer.trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(r.metrics.timeToFirstWord != nil)
  }
}
