import Reasoning
import Testing

/// The driver's other decisions, as tables: what to do before a step or a probe, whether the user's
/// words start the next turn, when to prepare it, and how thoughts start over or reopen.
@Suite struct PolicyDecisionTests {
  typealias Facts = ReasoningPolicy.StepFacts
  typealias F = ReasoningPolicy.TokenFlags

  /// A policy on a complete first sentence: the user still speaking, or finished.
  static func policy(speaking: Bool, _ s: PolicyOptions.Strategy = .async) -> ReasoningPolicy {
    var o = PolicyOptions()
    o.strategy = s
    var p = ReasoningPolicy(options: o)
    p.observe(.heardWords(sentenceComplete: true))
    if !speaking { p.observe(.endOfUtterance) }
    return p
  }

  /// The writer rests only in async mode, with a lead set, while more speech than the lead is
  /// still to come.
  @Test(arguments: [
    (PolicyOptions.Strategy.async, 2.0, 2.5, true), (.async, 2.0, 2.0, false), (.async, 2.0, 0.5, false),
    (.async, 0.0, 9.0, false), (.think, 2.0, 9.0, false), (.nothink, 2.0, 9.0, false),
  ])
  func writerRests(strategy: PolicyOptions.Strategy, lead: Double, ahead: Double, rests: Bool) {
    var o = PolicyOptions()
    o.strategy = strategy
    o.writerLead = lead
    #expect(ReasoningPolicy(options: o).writerRests(speechAhead: ahead) == rests)
  }

  /// A no-thinking policy whose answer is complete.
  static var done: ReasoningPolicy {
    var p = policy(speaking: false, .nothink)
    p.observe(.stepped(thinker: nil, writer: F(endOfTurn: true)))
    return p
  }

  struct Preparation: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var speaking = false
    var strategy = PolicyOptions.Strategy.async
    var thinker = true
    var writer = false
    var facts: Facts
    var want: [PolicyAction]
  }

  static let preparations: [Preparation] = [
    .init(testDescription: "nothing stale: nothing to do", facts: Facts(), want: []),
    .init(
      testDescription: "input changed, user finished: the thinker's scaffolding", facts: Facts(thinkerContextStale: true),
      want: [.reencode(.thinker)]),
    .init(
      testDescription: "input changed mid-sentence: wait for the sentence", speaking: true,
      facts: Facts(thinkerContextStale: true), want: []),
    .init(
      testDescription: "a sentence completed while the user speaks: thinker, writer (the baseline waits for a probe)",
      speaking: true, facts: Facts(thinkerContextStale: true, sentenceJustCompleted: true, baselineDue: true),
      want: [.reencode(.thinker), .reencode(.writer)]),
    .init(
      testDescription: "…the baseline already measured on this input", speaking: true,
      facts: Facts(thinkerContextStale: true, sentenceJustCompleted: true), want: [.reencode(.thinker), .reencode(.writer)]),
    .init(
      testDescription: "…the writer not prepared while listening (option)", speaking: true,
      facts: Facts(thinkerContextStale: true, sentenceJustCompleted: true, prepareWriterWhileListening: false, baselineDue: true),
      want: [.reencode(.thinker)]),
    .init(
      testDescription: "…think-first has no baseline", speaking: true, strategy: .think,
      facts: Facts(thinkerContextStale: true, sentenceJustCompleted: true, baselineDue: true),
      want: [.reencode(.thinker), .reencode(.writer)]),
    .init(testDescription: "the writer starts: its scaffolding", writer: true, facts: Facts(), want: [.reencode(.writer)]),
    .init(testDescription: "the writer goes on: nothing", writer: true, facts: Facts(writerWasActive: true), want: []),
    .init(
      testDescription: "a reminder at the thoughts' line boundary", facts: Facts(reminderAtBoundary: true),
      want: [.insertReminder]),
    .init(
      testDescription: "a reminder waits while only the writer steps", thinker: false, writer: true,
      facts: Facts(thinkerContextStale: true, writerWasActive: true, reminderAtBoundary: true), want: []),
    .init(
      testDescription: "all of them, in order", writer: true, facts: Facts(thinkerContextStale: true, reminderAtBoundary: true),
      want: [.reencode(.thinker), .reencode(.writer), .insertReminder]),
  ]

  @Test(arguments: preparations)
  func beforeAStep(_ row: Preparation) {
    let p = Self.policy(speaking: row.speaking, row.strategy)
    #expect(p.preparation(thinker: row.thinker, writer: row.writer, row.facts) == row.want)
  }

  @Test("the probe's baseline: measured before it asks, or (option) at each sentence while the user speaks")
  func baselineBeforeTheProbe() {
    var o = PolicyOptions()
    o.baselineWhileListening = true
    var p = ReasoningPolicy(options: o)
    p.observe(.heardWords(sentenceComplete: true))
    let sentence = Facts(thinkerContextStale: true, sentenceJustCompleted: true, baselineDue: true)
    #expect(p.preparation(thinker: true, writer: false, sentence) == [.reencode(.thinker), .reencode(.writer), .measureBaseline])
    #expect(
      Self.policy(speaking: true).preparation(thinker: true, writer: false, sentence) == [
        .reencode(.thinker), .reencode(.writer),
      ])
    #expect(Self.policy(speaking: false).probePreparation(Facts(baselineDue: true)) == [.measureBaseline, .reencode(.thinker)])
  }

  @Test func beforeTheProbe() {
    let p = Self.policy(speaking: false)
    #expect(p.probePreparation(Facts(baselineDue: true)) == [.measureBaseline, .reencode(.thinker)])
    #expect(p.probePreparation(Facts()) == [.reencode(.thinker)])
    #expect(Self.policy(speaking: false, .think).probePreparation(Facts(baselineDue: true)) == [.reencode(.thinker)])
  }

  /// (policy, time, end of speech, next turn prepared) → what the user's words are; then idle.
  @Test func theUsersWordsStartTheNextTurnOnlyAfterASpokenAnswer() {
    let rows: [(String, ReasoningPolicy, Double, Bool, PolicyAction?, PolicyAction?)] = [
      ("still asking", Self.policy(speaking: true), 9, false, nil, nil),
      ("answering", Self.policy(speaking: false), 9, false, nil, nil),
      ("answer complete, still being said", Self.done, 4, false, nil, nil),
      ("answer complete and said", Self.done, 5, false, .startTurn, .prepareTurn),
      ("next turn prepared", Self.done, 9, true, .startTurn, nil),
      ("next turn prepared, its policy fresh", ReasoningPolicy(options: PolicyOptions()), 0, true, .startTurn, nil),
    ]
    for (name, p, t, prepared, speaks, idle) in rows {
      #expect(p.userSpeaks(at: t, endOfSpeech: 5, nextTurnPrepared: prepared) == speaks, "\(name)")
      #expect(p.idle(at: t, endOfSpeech: 5, nextTurnPrepared: prepared) == idle, "\(name)")
    }
  }

  @Test func thoughtsStartOverOrGoOn() {
    let p = Self.policy(speaking: true)
    #expect(p.sentenceCompleted(restartOnNewSentence: true, hasThoughts: true) == .restartThoughts)
    #expect(p.sentenceCompleted(restartOnNewSentence: true, hasThoughts: false) == nil)
    #expect(p.sentenceCompleted(restartOnNewSentence: false, hasThoughts: true) == nil)
    // which questions name only what to find: those that say no quantity of their own
    let questions: [(String, Bool)] = [
      ("How many pages does he still have to read?", false), ("How many minutes does he practice in four days?", true),
      ("How much does she earn in 3 weeks?", true), ("Is it twice as far?", true), ("Twenty-four, then?", true),
      ("How old is Tom now?", false),
    ]
    for (q, says) in questions {
      #expect(NumberWords.saysQuantity(q.split(separator: " ").map(String.init)) == says, "\(q)")
    }
    // a question naming only what to find: thoughts go on only with `keepThoughtsOnQuestion`, and only in async
    #expect(p.sentenceCompleted(restartOnNewSentence: true, hasThoughts: true, namesOnlyWhatToFind: true) == .restartThoughts)
    for (s, kept) in [(PolicyOptions.Strategy.async, true), (.think, false)] {
      var o = PolicyOptions()
      o.strategy = s
      o.keepThoughtsOnQuestion = true
      let k = ReasoningPolicy(options: o)
      let a = k.sentenceCompleted(restartOnNewSentence: true, hasThoughts: true, namesOnlyWhatToFind: true)
      #expect(a == (kept ? nil : .restartThoughts), "\(s)")
      #expect(k.sentenceCompleted(restartOnNewSentence: true, hasThoughts: true) == .restartThoughts, "\(s)")
    }
    // reopened while the user speaks: a continuation note says what came since, else start over
    #expect(p.thoughtsReopened(hasContinuationNote: false) == .restartThoughts)
    #expect(p.thoughtsReopened(hasContinuationNote: true) == .reopenThoughts)
    // reopened by an interjection (the user finished): go on, the reminder says what changed
    let q = Self.policy(speaking: false)
    #expect(q.thoughtsReopened(hasContinuationNote: false) == .reopenThoughts)
    #expect(q.thoughtsReopened(hasContinuationNote: true) == .reopenThoughts)
  }
}
