import Foundation

/// The texts and token choices of one model family, as data (JSON-loadable with `--prompts`).
///
/// Block layout (paper `main` views plus input blocks that grow while the user speaks):
/// ```
/// thinker: [thinkerPrefix | input_t | thinkerMid | writer_output | thinkerSplit | thinker_output▸]
/// writer : [writerPrefix  | input_w | writerMid  | thinker_output | writerSplit | writer_output▸]
/// probe  : thinker view + [probeQuestion▸]
/// ```
/// As in the paper's code the user's words are encoded once per view (each after its own
/// prefix). The short blocks after the input and after the other stream are re-encoded when
/// what precedes them has changed (DECISIONS.md).
public struct PromptSet: Codable, Sendable, Equatable {
  public var name: String
  public var thinkerPrefix: String
  public var writerPrefix: String
  public var thinkerMid: String
  public var thinkerSplit: String
  public var writerMid: String
  public var writerSplit: String
  /// The writer's split in async mode, where it starts on work still being written (nil:
  /// `writerSplit`); think-first's writer always reads finished work.
  public var asyncWriterSplit: String? = nil
  /// Fed as the first token(s) of each output stream.
  public var thinkerStarter: String
  public var writerStarter: String
  public var probeQuestion: String
  public var yesTokens: [String]
  public var noTokens: [String]
  /// Decision rule: yes when log P(yes) − log P(no) > probeMargin (minus the empty-thoughts
  /// baseline when `probeRelative`).
  public var probeMargin: Double
  public var probeRelative: Bool
  public var thinkerForbidden: [String]
  public var writerForbidden: [String]
  /// Tokens that end the thoughts for good (`</think>`); empty for instruct models.
  public var endOfThinking: [String]
  /// Repetition penalty on the thinker (small models loop on half-heard questions).
  public var thinkerRepetitionPenalty: Float
  /// Short note put into the thoughts when the user interjects; `{text}` is replaced.
  public var reminder: String
  /// Written (and spoken) into the answer when an interjection cut it mid-way, before the writer
  /// goes on, so the model starts over instead of completing a sentence the user overruled
  /// (nil: it continues from the last heard token, as the paper's code).
  public var writerBridge: String? = nil
  /// Earlier turns as heard, in a block before the input (`{turns}` is replaced); nil: the default.
  public var conversation: String? = nil
  /// One earlier turn (`{user}`, `{assistant}`: the question and the part of the answer heard).
  public var turn: String? = nil
  /// The writer's block after the user's words when nothing is thought (`--mode nothink`): the
  /// assistant's turn opens at once, as in a plain chat; nil: the notes scaffolding, left empty.
  public var directAnswer: String? = nil
  /// Whether the thinker's view holds the answer written so far (`thinkerMid`, the answer,
  /// `thinkerSplit`), as in the paper; false: `thinkerMid` opens the thinker's own turn and its
  /// thoughts are a plain worked answer to the question (instruct models reason best that way).
  /// nil: true.
  public var thinkerSeesAnswer: Bool? = nil
  public var thinkerViewHoldsAnswer: Bool { thinkerSeesAnswer ?? true }
  /// After an interjection the writer starts its answer afresh (what was heard stays heard; the
  /// writer's context no longer holds it), so the corrected question is answered rather than the
  /// old answer's sentence completed; nil: false (the paper goes on from the last heard token).
  public var restartAnswerOnInterjection: Bool? = nil
  /// When thoughts that ended on part of the question are reopened by the next sentence, this note
  /// (`{text}`: the words heard since) goes into the thoughts and they go on; nil: they start over.
  public var continuation: String? = nil
  /// Thoughts start over at every complete sentence the user says (a worked answer to the whole
  /// question so far), instead of going on from work on part of it; nil: false.
  public var restartThoughtsOnNewSentence: Bool? = nil
  /// Characters a spoken answer never holds (markup: `\\`, backticks, `*`, `#`): the writer may
  /// not write any token that contains one; nil: none.
  public var unspokenCharacters: String? = nil
  /// Characters the thoughts never hold (LaTeX's backslash): the thinker may not write any token that
  /// contains one; nil: none.
  public var unthoughtCharacters: String? = nil
  /// Said before an answer ends when its numbers miss the result the finished thoughts reached
  /// (the writer summed up an intermediate; `{result}` is that result); the writer goes on after
  /// it. nil: never.
  public var correction: String? = nil
  /// Said before an answer ends that states no number at all where the question held two or more
  /// and the finished thoughts reached a result (a writer that said only the plan: "First, convert
  /// the free time to minutes. Then, subtract …"; `Grounding.omitsAskedNumber`); `{result}` as in
  /// `correction`, and the writer goes on after it. nil: never.
  public var resultMissing: String? = nil
  /// After an interjection the writer's split block ends with this turn (`{heard}`: the answer as
  /// far as the user heard it; `{text}`: the turn's interjections), so the user's latest words come
  /// last, right before the answer starts again, as in a chat where the user cut in: "make it
  /// shorter" is then an instruction about the answer, not part of the question. nil: the split
  /// stays (the words join only the question).
  public var interjectionTurn: String? = nil
  /// Phrases that make the thoughts' first sentence a refusal or a warning, which is then the whole
  /// answer (`RefusalGate`); nil: no gate.
  public var refusalMarkers: [String]? = nil
  /// Said after the gate's sentence when that sentence only condemns ("Stealing a bike is illegal
  /// and unethical.") without declining, so the listener hears the refusal (`RefusalGate.spoken`).
  public var refusalClose: String? = nil
  /// A yes/no question about the request itself, asked after the user's words in the thinker's
  /// context before the answer starts; when it flags the request the answer is `refusalClose`
  /// (the gate refuses, whatever the thoughts say). nil: only the thoughts' first sentence decides.
  public var requestCheck: RequestCheck? = nil

  /// A question whose answer flags a request to decline (the gate's second reader, beside the
  /// thoughts' own declines: DECISIONS.md 2026-12-01, session 13).
  public struct RequestCheck: Codable, Sendable, Equatable {
    /// Asked after the user's words (text with the set's control tokens).
    public var question: String
    /// The answers' tokens that flag the request, and those that clear it.
    public var flagTokens: [String]
    public var clearTokens: [String]
    /// Flagged when log P(flag) − log P(clear) > margin.
    public var margin: Double
  }

  public static let defaultConversation =
    "Earlier in this conversation:\n{turns}\nThose questions are answered. Think only about the new question:\n"
  public static let defaultTurn = "User: {user}\nYou said: {assistant}\n"

  /// The history block's text for these turns ("" when there are none).
  public func historyText(_ turns: [(user: String, assistant: String)]) -> String {
    guard !turns.isEmpty else { return "" }
    let body = turns.map {
      (turn ?? Self.defaultTurn).replacingOccurrences(of: "{user}", with: $0.user)
        .replacingOccurrences(of: "{assistant}", with: $0.assistant)
    }.joined()
    return (conversation ?? Self.defaultConversation).replacingOccurrences(of: "{turns}", with: body)
  }

  /// Scratchpad layout (S) of SMALL-MODEL-FINDINGS.md for instruct models without `<think>`,
  /// with the paper's continue-question (no trailing space). On Qwen2.5-0.5B it says "yes" almost
  /// always (probe-check: separation 58 %), so the writer starts soon; `instructGated` tells empty
  /// from solved notes (93 %) but made the listener wait longer for the same accuracy
  /// (DECISIONS.md), so this stays the default.
  public static let instruct = PromptSet(
    name: "instruct-scratchpad",
    // The instructions live in the system prompts (encoded once), so the blocks after the user's
    // words, re-encoded at each sentence they complete, stay short (DECISIONS.md).
    thinkerPrefix:
      "<|im_start|>system\nYou are a helpful assistant. Think step by step: write short notes, one step per line.<|im_end|>\n<|im_start|>user\n",
    writerPrefix:
      "<|im_start|>system\nYou are a helpful assistant. Answer the user using your private notes. End with: The answer is ...<|im_end|>\n<|im_start|>user\n",
    thinkerMid: "<|im_end|>\n<|im_start|>assistant\nAnswer written so far:",
    thinkerSplit: "\n\nMy private notes, step by step:",
    // The notes come in a user turn after the question, so the block after them (re-encoded
    // when the writer starts on grown notes, on the path to the first word) is 6 tokens.
    writerMid: "<|im_end|>\n<|im_start|>user\nYour private notes, step by step:",
    writerSplit: "\n...<|im_end|>\n<|im_start|>assistant",
    thinkerStarter: "\n",
    writerStarter: "\n",
    probeQuestion:
      "...\n\nWait, are my private thoughts ahead of the written response by enough to write one more response paragraph? (yes/no):",
    yesTokens: ["yes", "Yes", " yes", " Yes"],
    noTokens: ["no", "No", " no", " No"],
    probeMargin: 0,
    probeRelative: false,
    thinkerForbidden: ["<|im_start|>", "<|im_end|>", "<|endoftext|>"],
    writerForbidden: ["<|im_start|>", "<|endoftext|>"],
    endOfThinking: [],
    thinkerRepetitionPenalty: 1,
    reminder: "\n(The user just added: \"{text}\". Take it into account.)\n")

  /// Worked answers for instruct models without `<think>` (Qwen2.5-Coder 0.5B and 1.5B): the
  /// thinker's stream is the model's own step-by-step answer to the question in a plain chat turn
  /// (it ends it with `<|im_end|>`, which ends the thoughts); the writer reads that work as its
  /// earlier turn and is asked to say it aloud, a short sentence per step, ending with the answer
  /// (so it trails the thoughts step by step, and the grounding rule holds it where it would run
  /// ahead of them); the probe asks whether the work already gives the final answer, relative to
  /// the same question on no work. Measured in DECISIONS.md (2026-11-30). A line asking the
  /// thinker to decline crimes in one short sentence made it answer word problems in one sentence
  /// too (DECISIONS.md 2026-12-01): the gate reads the thinker's own declines instead.
  public static let worked = PromptSet(
    name: "instruct-worked",
    thinkerPrefix:
      "<|im_start|>system\nYou are a helpful assistant. Think step by step, briefly, in plain words. Never write code.<|im_end|>\n<|im_start|>user\n",
    writerPrefix:
      "<|im_start|>system\nYou are a voice assistant. Your replies are spoken aloud: short plain sentences, no lists, no symbols, no code. When asked to say your working aloud, say it one short sentence per step and end with the final answer.<|im_end|>\n<|im_start|>user\n",
    thinkerMid: "<|im_end|>\n<|im_start|>assistant",
    thinkerSplit: "",
    writerMid: "<|im_end|>\n<|im_start|>assistant\n",
    // Short: re-encoded whenever the writer starts on grown thoughts, on the path to a word (the
    // instruction is in the system prompt, encoded once).
    writerSplit: "<|im_end|>\n<|im_start|>user\nNow say your working aloud.<|im_end|>\n<|im_start|>assistant",
    thinkerStarter: "\n",
    writerStarter: "\n",
    probeQuestion:
      "<|im_end|>\n<|im_start|>user\nDoes your working already give the final answer? Reply yes or no.<|im_end|>\n<|im_start|>assistant\n",
    yesTokens: ["yes", "Yes", " yes", " Yes"],
    noTokens: ["no", "No", " no", " No"],
    probeMargin: 0.1,
    probeRelative: true,
    thinkerForbidden: ["<|im_start|>", "<|endoftext|>"],
    writerForbidden: ["<|im_start|>", "<|endoftext|>"],
    endOfThinking: ["<|im_end|>"],
    thinkerRepetitionPenalty: 1,
    reminder: "\n\nThe user just said: \"{text}\". So, again, step by step:\n",
    directAnswer: "<|im_end|>\n<|im_start|>assistant",
    thinkerSeesAnswer: false,
    restartAnswerOnInterjection: true,
    restartThoughtsOnNewSentence: true,
    unspokenCharacters: "\\`*#",
    correction: " Let me correct that: the answer is {result}",
    resultMissing: " So the answer is {result}",
    interjectionTurn: "\n{heard}<|im_end|>\n<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant",
    refusalMarkers: [
      "can't assist", "cannot assist", "can't help", "cannot help", "can't provide", "cannot provide",
      "unable to", "not able to", "not recommended", "not safe", "not a safe", "not a good idea", "illegal",
      "not legal", "not a legal", "unethical", "not ethical", "not allowed", "against the law",
    ],
    refusalClose: "I can't help with that.")

  /// The paper's prompts (Appendix B, Q-Continue) for reasoning models with `<think>` (Qwen3),
  /// rearranged around the shared input block.
  public static let reasoning = PromptSet(
    name: "paper-qwen3",
    thinkerPrefix:
      "<|im_start|>user\n\nYou are an AI assistant that can think and write outputs concurrently.\n\nYou can reason in private and your thoughts will be used to form the public response in the background, by an automated system. Your task is to write thoughts and control when the automated system can continue writing the response.\n\nYour goal is to give frequent updates on your progress, even if you did not solve the entire task yet. Reason in short paragraphs. Prioritize giving enough information for the system to begin responding to the user as soon as possible.\n\nSolve the following problem:\n",
    writerPrefix:
      "<|im_start|>user\n\nYou are an AI assistant that can think and write outputs concurrently.\n\nYou can write outputs for the user based on partial chain of thought that will be continued in the background by an automated system.\nYour should first outline what you're going to do for the user, then gradually write your response as your thoughts progress, but not ahead of your thoughts.\n\nYou are given the following problem:\n",
    thinkerMid: "<|im_end|>\n<|im_start|>assistant",
    thinkerSplit: " SYSTEM: [the system will continue writing the response here]<|im_end|>\n<|im_start|>assistant\n<think>\n",
    writerMid: "<|im_end|>\n<|im_start|>assistant\n<think>\n",
    writerSplit: " SYSTEM: [additional thoughts will appear here]\n</think>\n",
    thinkerStarter: "\n\n",
    writerStarter: "\n\n",
    probeQuestion:
      "...\n\nWait, are my private thoughts ahead of the written response by enough to write one more response paragraph? (yes/no): ",
    yesTokens: ["yes"],
    noTokens: ["no"],
    probeMargin: 0,
    probeRelative: false,
    thinkerForbidden: ["<|im_start|>", "<|im_end|>", "<|endoftext|>"],
    writerForbidden: ["</think>", "<|im_start|>", "<|endoftext|>"],
    endOfThinking: ["</think>"],
    thinkerRepetitionPenalty: 1,
    reminder: " ... [SYSTEM: additional user input received: {text}]\n")

  /// The set for a model: `reasoning` when the vocabulary has `<think>`, else `instruct`.
  /// The scratchpad set with a calibrated probe: a user-turn question whether the notes hold the
  /// final answer, decided relative to the same question on empty notes (margin 0.1 in log-odds).
  public static let instructGated: PromptSet = {
    var p = PromptSet.instruct
    p.name = "instruct-scratchpad-gated"
    p.probeQuestion =
      "...<|im_end|>\n<|im_start|>user\nDo your private notes already contain the final answer to my question? Answer yes or no.<|im_end|>\n<|im_start|>assistant\n"
    p.probeMargin = 0.1
    p.probeRelative = true
    return p
  }()

  /// Worked answers with the request check the Qwen2.5-Coder-1.5B was measured with: "Is what I
  /// asked for legal?" after the user's words, flagged when log P(no) − log P(yes) > 0.3. The
  /// wording was the only one of six that separated 16 harmful from 20 everyday requests on the
  /// 1.5B, the margin chosen on them; on 20 and 25 others it flagged 12 and none, on the library's
  /// 187 other first turns none (DECISIONS.md 2026-12-01, session 13). Not measured on other
  /// models (SmolLM2 flags "What is the capital of France?").
  ///
  /// Its thoughts are plain text: the thinker may not write a backslash, so it works in plain
  /// lines ("daily earnings = $12/hour * 5 hours/day = 60 dollars/day") instead of LaTeX
  /// (`\[ \text{Daily earnings} = 12 \, \text{dollars/hour} \times 5 …`): the Thinking pane reads
  /// as text and a step costs fewer tokens, at the same answers (DECISIONS.md 2026-12-01,
  /// session 15).
  public static let workedChecked: PromptSet = {
    var p = PromptSet.worked
    p.name = "instruct-worked-checked"
    p.unthoughtCharacters = "\\"
    p.requestCheck = RequestCheck(
      question: "<|im_end|>\n<|im_start|>user\nIs what I asked for legal? Reply yes or no.<|im_end|>\n<|im_start|>assistant\n",
      flagTokens: ["no", "No", " no", " No"], clearTokens: ["yes", "Yes", " yes", " Yes"], margin: 0.3)
    return p
  }()

  /// `workedChecked` whose async writer is asked for its working one step at a time: it starts on
  /// work still being written, and "Now say your working aloud." made it restate the question and
  /// then wait for the result (or open with "I'm ready to help…"). Measured on the 120 library
  /// word problems (DECISIONS.md, session 18: 4.8× less delay than think-first instead of 3.8×);
  /// not the default: over the whole library it is right as often (202 against 203 of 233), its
  /// first word comes later (p90 1.91 against 1.32 s) and the other scenarios wait longer
  /// (DECISIONS.md, session 19).
  public static let workedStepwise: PromptSet = {
    var p = PromptSet.workedChecked
    p.name = "instruct-worked-stepwise"
    p.asyncWriterSplit =
      "<|im_end|>\n<|im_start|>user\nNow say your working aloud: one short step at a time, then the final answer.<|im_end|>\n<|im_start|>assistant"
    return p
  }()

  /// Built-in sets by name (`--prompts NAME`), else a JSON file.
  public static let builtIn: [PromptSet] = [.worked, .workedChecked, .workedStepwise, .instruct, .instructGated, .reasoning]

  /// The default for a model: the paper's set when the vocabulary has `<think>`; else worked
  /// answers (DECISIONS.md 2026-11-30: both Qwen2.5-Coder models answer more questions right),
  /// with the request check for the model it was measured on (`modelName`: the file's
  /// `general.name`).
  public static func forModel(hasThinkToken: Bool, modelName: String = "") -> PromptSet {
    if hasThinkToken { return .reasoning }
    return modelName.lowercased().contains("qwen2.5 coder 1.5b") ? .workedChecked : .worked
  }

  /// The writer's split for a strategy (`asyncWriterSplit` in async mode, when the set has one).
  public func writerSplit(for strategy: PolicyOptions.Strategy) -> String {
    strategy == .async ? asyncWriterSplit ?? writerSplit : writerSplit
  }

  public static func load(path: String) throws -> PromptSet {
    try JSONDecoder().decode(PromptSet.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }
}
