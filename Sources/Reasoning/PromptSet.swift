import Foundation

/// The texts and token choices of one model family, as data (JSON-loadable with `--prompts`).
///
/// Block layout (paper `main` views plus a shared input block, DESIGN.md §3):
/// ```
/// thinker: [prefix | input | thinkerMid | writer_output | thinkerSplit | thinker_output▸]
/// writer : [prefix | input | writerMid  | thinker_output | writerSplit | writer_output▸]
/// probe  : thinker view + [probeQuestion▸]
/// ```
public struct PromptSet: Codable, Sendable, Equatable {
  public var name: String
  public var prefix: String
  public var thinkerMid: String
  public var thinkerSplit: String
  public var writerMid: String
  public var writerSplit: String
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

  /// Scratchpad layout (S) of SMALL-MODEL-FINDINGS.md for instruct models without `<think>`,
  /// with the paper's continue-question (no trailing space), which separated empty from solved
  /// thoughts on Qwen2.5-0.5B (1/6 vs 6/6) where the scratchpad's own question did not.
  public static let instruct = PromptSet(
    name: "instruct-scratchpad",
    prefix: "<|im_start|>system\nYou are a helpful voice assistant. Answers are spoken aloud, so keep them short.<|im_end|>\n<|im_start|>user\n",
    thinkerMid: "\nThink step by step. Write short notes, one step per line.<|im_end|>\n<|im_start|>assistant\nAnswer written so far:",
    thinkerSplit: "\n\nMy private notes, step by step:",
    writerMid: "<|im_end|>\n<|im_start|>assistant\nMy private notes, step by step:",
    writerSplit: "\n...<|im_end|>\n<|im_start|>user\nUsing your notes, say the answer to me in one or two short sentences. End with: The answer is ...<|im_end|>\n<|im_start|>assistant",
    thinkerStarter: "\n",
    writerStarter: "\n",
    probeQuestion: "...\n\nWait, are my private thoughts ahead of the written response by enough to write one more response paragraph? (yes/no):",
    yesTokens: ["yes", "Yes", " yes", " Yes"],
    noTokens: ["no", "No", " no", " No"],
    probeMargin: 1.0,
    probeRelative: false,
    thinkerForbidden: ["<|im_start|>", "<|im_end|>", "<|endoftext|>"],
    writerForbidden: ["<|im_start|>", "<|endoftext|>"],
    endOfThinking: [],
    thinkerRepetitionPenalty: 1.15,
    reminder: "\n(The user just added: \"{text}\". Take it into account.)\n")

  /// The paper's prompts (Appendix B, Q-Continue) for reasoning models with `<think>` (Qwen3),
  /// rearranged around the shared input block.
  public static let reasoning = PromptSet(
    name: "paper-qwen3",
    prefix: "<|im_start|>user\n",
    thinkerMid: "\n\nYou are an AI assistant that can think and write outputs concurrently.\n\nYou can reason in private and your thoughts will be used to form the public response in the background, by an automated system. Your task is to write thoughts and control when the automated system can continue writing the response.\n\nReason in short paragraphs. Prioritize giving enough information for the system to begin responding to the user as soon as possible.<|im_end|>\n<|im_start|>assistant",
    thinkerSplit: " SYSTEM: [the system will continue writing the response here]<|im_end|>\n<|im_start|>assistant\n<think>\n",
    writerMid: "\n\nYou are an AI assistant that can think and write outputs concurrently. Write your response for the user gradually as your thoughts progress, but not ahead of your thoughts.<|im_end|>\n<|im_start|>assistant\n<think>\n",
    writerSplit: " SYSTEM: [additional thoughts will appear here]\n</think>\n",
    thinkerStarter: "\n\n",
    writerStarter: "\n\n",
    probeQuestion: "...\n\nWait, are my private thoughts ahead of the written response by enough to write one more response paragraph? (yes/no): ",
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
  public static func forModel(hasThinkToken: Bool) -> PromptSet { hasThinkToken ? .reasoning : .instruct }

  public static func load(path: String) throws -> PromptSet {
    try JSONDecoder().decode(PromptSet.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }
}
