/// Options of the mode state machine.
public struct PolicyOptions: Sendable, Equatable {
  public enum Strategy: String, Sendable, CaseIterable { case async, think, nothink }
  public var strategy: Strategy = .async
  public var thinkWhileListening = true
  /// Ask the probe every this many thinker steps (and at thinker paragraph ends).
  public var probeInterval = 20
  /// At the end of the utterance, ask at once when at least this many notes were taken while
  /// listening (8 instead of 20 halved the wait for the first word and cost 11 points of
  /// accuracy: DECISIONS.md).
  public var probeAtEndMinThoughts = 20
  /// While the listener waits (user finished, nothing spoken yet), also ask at each thinker line
  /// end once this many notes exist (0 = off): instruct models write one step per line and
  /// rarely end a paragraph, so a line is their unit of progress (8: mean time to first word
  /// 0.67 → 0.58 s at the same accuracy, DECISIONS.md).
  public var probeAtLinesAfter = 8
  /// Think-then-answer: thinker tokens after the user finished before answering regardless (the
  /// thinker usually ends its worked answer sooner; DECISIONS.md 2026-11-30).
  public var thoughtBudget = 320
  /// Async: thinker tokens, counted from when the listener starts waiting (end of the question, or
  /// a writer pause), before the writer speaks regardless of the probe: it bounds the silence.
  /// 24 → 8 (session 8, 24 scenarios on the 1.5B in virtual time): first word 1.77 → 1.10 s, p90
  /// 2.47 → 1.44 s, 22 → 21 right (DECISIONS.md).
  public var speakAfter = 8
  /// Async, nothing said yet: past `speakAfter`, the writer waits up to this many more thinker
  /// tokens for the thoughts to end a sentence or line, so it does not start on a fragment
  /// ("To determine how many pages Ravi still has", read as the whole of the work; 0 = off).
  public var sentenceWait = 0
  /// Async: the writer also starts, sooner, once the thoughts on the whole question have this
  /// many lines (an instruct model's first line is its plan: "To find …, we need to …"); the
  /// grounding rule keeps it from saying numbers ahead of them (0: `speakAfter` only).
  public var speakAfterLines = 1
  /// Async: while the answer already written reaches this many seconds of speech past now, the
  /// writer rests and the thinker steps alone (a one-row step is cheaper than two), so the
  /// thoughts run ahead of what will be said (0: the writer steps with every thinker step).
  public var writerLead = 0.0
  /// Async: probe before a held writer tries again on a new line of thoughts. Off (the default),
  /// the retry is its own test (a number or an end not yet grounded is held again): a writer that
  /// restated the question and wanted to end was retried at each line, each retry after a probe
  /// (~0.4 s of prefill on the 1.5B), and most were held again until the thoughts ended. Off: total
  /// delay 4.04 → 2.58 s on 12 scenarios, none higher, none right or wrong changed (DECISIONS.md,
  /// session 11).
  /// The release also restarts the probe interval: it stands for the probe (a writer released and
  /// held again on every line is paused by the holds, not by a probe's "no").
  public var probeOnRelease = false
  /// Async, relative probe: measure its empty-notes baseline at each sentence the user completes,
  /// while they speak. Off (the default), it is measured before the first probe on the input as it
  /// stands (`probePreparation` does that either way): the same value, but the last sentence's,
  /// measured as the user stops, lay on the path to the first word, which a start by the bound
  /// does not need (24 tokens on the 1.5B: 13 word problems' first words 1.46 → 1.05 s, every
  /// answer word for word the same; DECISIONS.md, session 20).
  public var baselineWhileListening = false
  /// Async: a writer the policy started (the probe's yes, the `speakAfter` bound, the plan line)
  /// has its first words spoken before the next probe: the interval starts again when the writer
  /// starts and counts from its first spoken chunk. Off, a probe due then (the interval, or a
  /// paragraph of thoughts while the refusal gate keeps the writer waiting for their first
  /// sentence, or while its first chunk waits for the end of a number) came before the first
  /// word, and its "no" could only delay it: the bound starts the writer again `speakAfter`
  /// tokens later (wp-090: a 24-token probe, 8 more thoughts and a new split, first word 1.77 s
  /// after the question; DECISIONS.md, session 20).
  public var firstWordBeforeProbe = true
  /// Async: a writer whose end was held while the thoughts go on must say one more sentence
  /// before it may try to end again (as after the thoughts end) when the thoughts hold a number
  /// the listener has not heard yet; otherwise it waits silent for the thoughts, as before.
  /// Off: on 24 word problems and 15 corrections (session 14) it cut the mean total delay by
  /// 40 % and 32 % at the same accuracy, but the forced sentences say grounded intermediates as
  /// results ("The final answer is 24." … "Let me correct that: the answer is 288"): answers with
  /// a spoken correction 1 → 4 of 24 (DECISIONS.md, session 14).
  public var writerGoesOn = false
  /// Async: thoughts written while the user asks the question go on when the question's sentence
  /// ends ("?") if it says no number of its own, instead of starting over as at the user's other
  /// sentences: the thinker has heard the facts whole, and its work on them (the plan, the first
  /// steps) does not depend on the question's last words. A question that brings a number ("…in
  /// four days?") changes the problem, and thoughts that guessed it ("7 days a week") start over
  /// (DECISIONS.md, session 24). With it, no probe is asked at the end of the question when the
  /// kept thoughts hold a plan (the plan starts the writer anyway).
  /// Off: on the first 47 word problems of the library it cut the mean total delay only within
  /// its noise (2.98 → 2.79 s, paired 95 % CI [−0.86, 0.51]) and lost 4 answers, won none — a
  /// thinker that guessed the question ("the total number of pages Tom read is 87" for "how many
  /// does he still have to read?") or started the writer on a plan that skips a step.
  public var keepThoughtsOnQuestion = false
  /// After the thoughts end, a writer whose end was held may end as soon as its answer states the
  /// thoughts' result (`Grounding.answerStates`); off, it says one more sentence first, as its held
  /// end promised — often "This is the final answer." after the result. On since session 17's
  /// library run (DECISIONS.md).
  public var endAtResult = true
  /// A writer that says the same run of tokens three times in a row (at least 24 tokens) while
  /// only speaking ends its answer there (`Repetition`; DECISIONS.md, session 16).
  public var endLoops = true
  /// Thoughts that say the same run of tokens three times in a row (at least
  /// `ReasoningSession.thoughtLoopTokens`) end there, as if the thinker had ended them: a greedy
  /// thinker in a loop never leaves it ("60,000,000,000,…" to the thought limit, 18 s of silence
  /// in both thinking modes; DECISIONS.md, session 19).
  public var endThoughtLoops = true
  /// Thinker tokens on one question (since the thoughts last started over or the user last
  /// interjected; then speaking only).
  public var maxThoughts = 400
  /// Answer tokens in all. 200 cut 7 of 72 worked answers before their result (three-vehicle wheel
  /// totals said step by step; DECISIONS.md 2026-11-30, session 6).
  public var answerBudget = 320
  /// Pause the writer at sentence ends too, not only at paragraph ends (worked answers are spoken
  /// in a few sentences and rarely in paragraphs: on by default, DECISIONS.md 2026-11-30).
  public var pauseAtSentences = true
  /// Async: the writer may finish saying a number only when the user said it, the thoughts wrote
  /// it, or the answer already said it; otherwise it takes the number back unspoken and waits
  /// for the next line of thoughts (DECISIONS.md 2026-11-30, "grounded numbers").
  public var groundNumbers = true
  /// Async: a number the calculator completed in the answer ("29 - 5 = 24") is grounded too: it is
  /// exact arithmetic on numbers the rules had let the writer say (DECISIONS.md, session 17).
  public var groundComputed = true
  /// Every stream's `a × b =` is completed with the exact result (`Calculator`), in all modes.
  public var calculator = true
  /// An answer that ends without the result its finished thoughts reached says the prompt set's
  /// correction first (`PromptSet.correction`), in every mode that thinks.
  public var correctAnswers = true
  /// The writer waits for the thoughts' first sentence and says only it when it declines
  /// (`RefusalGate`), in every mode (no-thinking runs the thinker that far, unseen by the writer).
  public var refusalGate = true
  /// Async, while the refusal gate waits for the thoughts' first sentence: the writer steps with
  /// the thinker, its speech held (`SpeechClock.holding`) until the gate decides — said once it
  /// clears, dropped unheard when it refuses — so the gate's wait and the first chunk's tokens
  /// overlap. Off: each writer step is a thinker step until the gate decides (DECISIONS.md,
  /// session 21).
  public var writeWhileGateWaits = true
  public init() {}
}
