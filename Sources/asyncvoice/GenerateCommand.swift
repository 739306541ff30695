import ArgumentParser
import Foundation
import Kernels
import Transformer

struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate", abstract: "Generate text from a prompt, streaming it to stdout.")

  @Option(help: "Raw prompt text (control tokens such as <|im_start|> allowed).") var prompt: String
  @Flag(help: "Wrap the prompt in the model's chat template.") var chat = false
  @Option(help: "Maximum tokens to generate.") var maxTokens = 128
  @Option(help: "Sampling temperature (0 = greedy).") var temperature: Float = 0
  @Option(help: "Top-k (0 = off).") var topK = 0
  @Option(help: "Top-p.") var topP: Float = 1
  @Option(help: "Min-p.") var minP: Float = 0
  @Option(help: "Repetition penalty (1 = off).") var repeatPenalty: Float = 1
  @Option(help: "Random seed.") var seed: UInt64 = 0
  @Option(help: "Model GGUF file.") var model = Defaults.smallModel
  @Option(help: "Threads.") var threads = 2
  @Flag(help: "Float activations in every matmul (exact; slower) instead of 8-bit activation dot products.") var exact = false
  @Flag(help: "Do not stop at end-of-turn tokens.") var noStop = false
  @Flag(help: "Print one JSON object instead of streaming text.") var json = false
  @Option(help: "With --json: include the first step's K best logits.") var topLogits = 0
  @Flag(help: "With --json: include the logits of every prompt position (first 8 values and argmax).") var allPositions = false

  func validate() throws {
    try OptionRanges.check("--max-tokens", maxTokens)
    try OptionRanges.check("--temperature", temperature)
    try OptionRanges.check("--top-k", topK)
    try OptionRanges.check("--top-p", topP)
    try OptionRanges.check("--min-p", minP)
    try OptionRanges.check("--repeat-penalty", repeatPenalty)
    try OptionRanges.check("--threads", threads)
    try OptionRanges.check("--top-logits", topLogits)
  }

  func run() throws {
    let engine: Engine
    do { engine = try Engine(path: Defaults.resolve(model), threads: threads) } catch { fail("\(model): \(error)") }
    engine.model.exactActivations = exact
    let tok = engine.tokenizer
    let text = chat ? engine.template.render([.init(role: "user", content: prompt)]) : prompt
    let ids = tok.encode(text)
    guard !ids.isEmpty else { fail("the prompt is empty") }
    let context = engine.model.maxContext
    guard ids.count < context else { fail("the prompt has \(ids.count) tokens; the model's context holds \(context)", code: 2) }
    // The prompt and every generated token but the last must fit the context.
    let maxTokens = min(self.maxTokens, context - ids.count + 1)
    if maxTokens < self.maxTokens {
      FileHandle.standardError.write(
        Data(
          "asyncvoice: note: the model's context is \(context) tokens: with a \(ids.count)-token prompt, generation stops after \(maxTokens) tokens (--max-tokens \(self.maxTokens))\n"
            .utf8))
    }
    let store = engine.store
    let block = store.makeBlock("sequence", capacity: ids.count + maxTokens + 1)
    let t0 = Date()
    var positions: [[String: Any]] = []
    if allPositions {
      // One row at a time through the decode path, keeping every position's logits.
      for id in ids {
        engine.model.forward(tokens: [id], views: [[block]], store: store, logitsFor: [0])
        let l = engine.model.logits(0)
        positions.append(["first8": Array(l.prefix(8)), "argmax": Int(Sampler.argmax(l) ?? 0), "max": l.max() ?? 0])
      }
    } else {
      engine.model.prefill(ids, view: [block], store: store)
    }
    let prefillSeconds = Date().timeIntervalSince(t0)
    var sampler = Sampler(
      options: .init(temperature: temperature, topK: topK, topP: topP, minP: minP, repetitionPenalty: repeatPenalty),
      seed: seed)
    var out: [Int32] = []
    var decoder = StreamDecoder()
    var top: [[String: Any]] = []
    let stops = noStop ? [] : engine.stopTokens
    let t1 = Date()
    var history = ids
    for step in 0..<maxTokens {
      let logits = engine.model.logits(0)
      if step == 0 && topLogits > 0 {
        let best = logits.enumerated().sorted { $0.element > $1.element }.prefix(topLogits)
        top = best.map { ["id": $0.offset, "token": tok.tokens[$0.offset], "logit": Double($0.element)] }
      }
      let next = sampler.sample(logits, recent: history[...])
      out.append(next)
      history.append(next)
      if stops.contains(next) { break }
      if !json { print(decoder.push(tok.bytes(of: next)), terminator: ""); fflush(stdout) }
      if step == maxTokens - 1 { break }
      engine.model.forward(tokens: [next], views: [[block]], store: store, logitsFor: [0])
    }
    let decodeSeconds = Date().timeIntervalSince(t1)
    let decoded = max(out.count - 1, 1)
    if json {
      var obj: [String: Any] = [
        "prompt_ids": ids.map(Int.init), "generated_ids": out.map(Int.init), "text": tok.decode(out),
        "prefill_seconds": prefillSeconds, "decode_seconds": decodeSeconds,
        "prefill_tok_s": Double(ids.count) / prefillSeconds, "decode_tok_s": Double(decoded) / decodeSeconds,
      ]
      if topLogits > 0 { obj["top_logits"] = top }
      if allPositions { obj["positions"] = positions }
      let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(decoder.flush())
      FileHandle.standardError.write(
        String(
          format: "[prefill %d tok %.1f tok/s | decode %d tok %.1f tok/s]\n", ids.count,
          Double(ids.count) / prefillSeconds, decoded, Double(decoded) / decodeSeconds
        ).data(using: .utf8)!)
    }
  }
}
