import ArgumentParser
import Foundation
import Kernels
import Reasoning
import Session
import Transformer

/// Options shared by the commands that run the reasoning loop.
struct EngineOptions: ParsableArguments {
  @Option(help: "Model GGUF file (default: the demo model).") var model = Defaults.demoModel
  @Option(help: "Threads for the kernels.") var threads = 2
  @Option(
    help:
      "Prompt set: a built-in name (`asyncvoice prompts` lists them and prints one as JSON) or a JSON file (default: chosen from the model's vocabulary)."
  )
  var prompts: String?
  @Option(help: "Seed for sampling.") var seed: UInt64 = 0
  @Option(help: "Sampling temperature (0 = greedy, as the paper).") var temperature: Float = 0
  @Option(help: "Think mode: thinker tokens after the question before answering regardless.") var thoughtBudget = PolicyOptions()
    .thoughtBudget
  @Option(help: "Async mode: thinker tokens while the listener waits before speaking regardless.") var speakAfter =
    PolicyOptions().speakAfter
  @Option(
    help:
      "Async mode: past --speak-after, wait up to this many more thinker tokens for the thoughts to end a sentence (0 = off)."
  )
  var sentenceWait = PolicyOptions().sentenceWait
  @Option(help: "Async mode: speak once the thoughts on the whole question have this many lines (0 = off).") var speakAfterLines =
    PolicyOptions().speakAfterLines
  @Option(help: "Async mode: the writer rests while this many seconds of its answer are still to be spoken (0 = off).")
  var writerLead = PolicyOptions().writerLead
  @Flag(
    inversion: .prefixedNo,
    help: "Async mode: probe before a held writer tries again on a new line of thoughts (default off: the retry is its own test)."
  )
  var probeOnRelease = PolicyOptions().probeOnRelease
  @Flag(
    help:
      "Async: a writer whose end was held while the thoughts go on says one more sentence when they hold a number not yet heard (off: it waits silent)."
  )
  var writerGoesOn = PolicyOptions().writerGoesOn
  @Flag(
    inversion: .prefixedNo,
    help:
      "Async: thoughts written while the user asks a question that says no number go on when it ends (default off: they start over, DECISIONS.md session 24)."
  )
  var keepThoughtsOnQuestion = PolicyOptions().keepThoughtsOnQuestion
  @Flag(
    inversion: .prefixedNo,
    help:
      "Async: after the thoughts end, a writer whose end was held may end once its answer states their result (off: it says one more sentence)."
  )
  var endAtResult = PolicyOptions().endAtResult
  @Option(help: "Answer token budget.") var answerBudget = PolicyOptions().answerBudget
  @Option(help: "Probe interval in thinker steps.") var probeInterval = 20
  @Option(help: "Probe at once when the user stops if this many notes exist.") var probeAtEnd = 20
  @Option(help: "While the listener waits, probe at each note line end once this many notes exist (0 = off).") var probeAtLines =
    8
  @Option(help: "Re-encode a split block only when the stream before it grew by more than this (0 = always).")
  var splitStale = 12
  @Flag(help: "Do not prepare the writer's scaffolding while the user speaks.") var noPrepareWriter = false
  @Flag(help: "Wait for the end of the utterance before thinking.") var noThinkWhileListening = false
  @Flag(inversion: .prefixedNo, help: "Pause the writer at sentence ends too.") var pauseAtSentences = PolicyOptions()
    .pauseAtSentences
  @Flag(inversion: .prefixedNo, help: "Async: the writer says a number only once the user or the thoughts said it.")
  var grounding = PolicyOptions().groundNumbers
  @Flag(
    inversion: .prefixedNo,
    help: "Async: a result the calculator completed in the answer counts as grounded (its operands were).")
  var groundComputed = PolicyOptions().groundComputed
  @Flag(inversion: .prefixedNo, help: "Complete each calculation a stream writes (\"17 * 23 =\") with its exact result.")
  var calculator = PolicyOptions().calculator
  @Flag(inversion: .prefixedNo, help: "Before ending, an answer that missed its finished thoughts' result says the correction.")
  var correction = PolicyOptions().correctAnswers
  @Flag(inversion: .prefixedNo, help: "An answer that says the same run of words a third time in a row ends there.")
  var loopEnd = PolicyOptions().endLoops
  @Flag(inversion: .prefixedNo, help: "Thoughts that say the same run of words a third time in a row end there.")
  var thoughtLoopEnd = PolicyOptions().endThoughtLoops
  @Flag(
    inversion: .prefixedNo,
    help: "Async: measure the relative probe's baseline at each sentence while the user speaks (else before the first probe).")
  var baselineWhileListening = PolicyOptions().baselineWhileListening
  @Flag(
    inversion: .prefixedNo,
    help: "Async: a writer the policy started says its first word before the next probe.")
  var firstWordBeforeProbe = PolicyOptions().firstWordBeforeProbe
  @Flag(inversion: .prefixedNo, help: "The writer waits for the thoughts' first sentence and says only it when it declines.")
  var refusalGate = PolicyOptions().refusalGate
  @Flag(
    inversion: .prefixedNo,
    help: "Async: while the refusal gate waits, the writer writes too, its speech held until the gate decides.")
  var writeWhileGateWaits = PolicyOptions().writeWhileGateWaits
  @Option(help: "Speaking rate of the assistant (words per minute).") var wpm: Double = 170
  @Option(help: "Each spoken chunk's duration: wpm (words at --wpm) or espeak (espeak-ng's own synthesis at --wpm).")
  var ttsTiming: TTSTiming = .wpm
  @Flag(help: "Float activations in every matmul (exact; slower).") var exact = false
  @Flag(help: "Keep the KV cache in f16 instead of f32.") var kvF16 = false
  @Option(help: "Kernel instruction set: auto, scalar, avx2, avxvnni, avx512vnni.") var isa = "auto"

  func validate() throws {
    try OptionRanges.check("--threads", threads)
    try OptionRanges.check("--temperature", temperature)
    try OptionRanges.check("--thought-budget", thoughtBudget)
    try OptionRanges.check("--speak-after", speakAfter)
    try OptionRanges.check("--speak-after-lines", speakAfterLines)
    try OptionRanges.check("--sentence-wait", sentenceWait)
    try OptionRanges.check("--writer-lead", writerLead)
    try OptionRanges.check("--answer-budget", answerBudget)
    try OptionRanges.check("--probe-interval", probeInterval)
    try OptionRanges.check("--probe-at-end", probeAtEnd)
    try OptionRanges.check("--probe-at-lines", probeAtLines)
    try OptionRanges.check("--split-stale", splitStale)
    try OptionRanges.check("--wpm", wpm)
    if let p = prompts, !PromptSet.builtIn.contains(where: { $0.name == p }), !FileManager.default.fileExists(atPath: p) {
      throw ValidationError(
        "--prompts \(p): no built-in prompt set of that name (\(PromptSet.builtIn.map(\.name).joined(separator: ", "))) and no such file"
      )
    }
  }

  func loadEngine() -> Engine {
    selectISA(isa)
    do {
      let e = try Engine(path: Defaults.resolve(model), threads: threads, kvF16: kvF16)
      e.model.exactActivations = exact
      return e
    } catch {
      fail("\(model): \(error)\n  (run scripts/setup.sh to fetch the shipped models)")
    }
  }

  func promptSet(for engine: Engine) -> PromptSet {
    if let p = prompts {
      if let named = PromptSet.builtIn.first(where: { $0.name == p }) { return named }
      do { return try PromptSet.load(path: p) } catch { fail("--prompts \(p): \(describe(error))") }
    }
    return PromptSet.forModel(hasThinkToken: engine.tokenizer.special["<think>"] != nil, modelName: engine.model.config.name)
  }

  func policy(_ strategy: PolicyOptions.Strategy) -> PolicyOptions {
    var o = PolicyOptions()
    o.strategy = strategy
    o.thinkWhileListening = !noThinkWhileListening
    o.thoughtBudget = thoughtBudget
    o.speakAfter = speakAfter
    o.speakAfterLines = speakAfterLines
    o.sentenceWait = sentenceWait
    o.writerLead = writerLead
    o.probeOnRelease = probeOnRelease
    o.answerBudget = answerBudget
    o.probeInterval = probeInterval
    o.probeAtEndMinThoughts = probeAtEnd
    o.probeAtLinesAfter = probeAtLines
    o.pauseAtSentences = pauseAtSentences
    o.groundNumbers = grounding
    o.groundComputed = groundComputed
    o.writerGoesOn = writerGoesOn
    o.keepThoughtsOnQuestion = keepThoughtsOnQuestion
    o.endAtResult = endAtResult
    o.calculator = calculator
    o.correctAnswers = correction
    o.endLoops = loopEnd
    o.endThoughtLoops = thoughtLoopEnd
    o.firstWordBeforeProbe = firstWordBeforeProbe
    o.baselineWhileListening = baselineWhileListening
    o.refusalGate = refusalGate
    o.writeWhileGateWaits = writeWhileGateWaits
    return o
  }

  /// A session; `durations` times its spoken chunks (`speechDurations()`: one per run).
  func session(
    _ engine: Engine, _ strategy: PolicyOptions.Strategy, clock: SessionClock,
    durations: any SpeechDurations = WordsPerMinuteDurations()
  ) -> ReasoningSession {
    let s = ReasoningSession(
      engine: engine, prompts: promptSet(for: engine), options: policy(strategy), clock: clock, seed: seed,
      sampling: SamplerOptions(temperature: temperature), wordsPerMinute: wpm, speechDurations: durations)
    s.splitStaleTokens = splitStale
    s.prepareWriterWhileListening = !noPrepareWriter
    // `AV_TRACE=1`: a stderr line per prefill besides decoding (read here, not in the library).
    if ProcessInfo.processInfo.environment["AV_TRACE"] != nil {
      s.tracer = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    }
    return s
  }

  /// The recording header of a session.
  func header(_ engine: Engine, strategy: PolicyOptions.Strategy, scenario: Transcript?) -> [String: Any] {
    var h: [String: Any] = [
      "created": ISO8601DateFormatter().string(from: Date()),
      "model": ["name": engine.model.config.name, "file": URL(fileURLWithPath: engine.path).lastPathComponent],
      "options": [
        "mode": strategy.rawValue, "thought_budget": thoughtBudget, "speak_after": speakAfter,
        "speak_after_lines": speakAfterLines, "sentence_wait": sentenceWait, "writer_lead": writerLead,
        "probe_on_release": probeOnRelease, "first_word_before_probe": firstWordBeforeProbe,
        "baseline_while_listening": baselineWhileListening, "write_while_gate_waits": writeWhileGateWaits,
        "writer_goes_on": writerGoesOn, "keep_thoughts_on_question": keepThoughtsOnQuestion, "end_at_result": endAtResult,
        "loop_end": loopEnd,
        "thought_loop_end": thoughtLoopEnd, "answer_budget": answerBudget,
        "probe_interval": probeInterval, "probe_at_end": probeAtEnd, "probe_at_lines": probeAtLines,
        "split_stale_tokens": splitStale,
        "prepare_writer_while_listening": !noPrepareWriter, "think_while_listening": !noThinkWhileListening,
        "pause_at_sentences": pauseAtSentences, "grounding": grounding, "ground_computed": groundComputed,
        "prompts": promptSet(for: engine).name,
        "temperature": Double(temperature),
      ],
      "speech_rate_wpm": wpm, "tts_timing": ttsTiming.rawValue, "seed": Int(seed),
    ]
    if let s = scenario {
      h["id"] = s.id
      h["title"] = s.title
      h["scenario_tags"] = s.tags
      if let e = s.header["expected"] { h["expected"] = e }
    }
    return h
  }
}

/// Chooses the kernels' instruction set from an `--isa` value, or exits saying why not.
func selectISA(_ value: String) {
  if let why = KernelISA.choose(value) { fail("--isa \(value): \(why)") }
}

/// The transcript files (`.jsonl`) of `folder`, sorted by name (none when it cannot be read).
func scenarioFiles(in folder: String) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
}

func loadScenario(_ path: String) -> Transcript {
  do { return try Transcript.load(path: path) } catch { fail("\(error)") }
}
