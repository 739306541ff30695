import Foundation
import Transformer

/// A yes/no question asked at the end of a view, in a block of its own that is cleared after each
/// answer: the control question (paper §3.2: "is it time to speak?") after the thoughts, and the
/// request check (`PromptSet.RequestCheck`) after the user's words. Its decision inputs: P(yes)
/// and P(no) over the given tokens, the margin, and — with the relative rule — a baseline, the
/// same question on empty thoughts, measured once per input.
final class ControlProbe {
  struct Answer: Equatable {
    var pYes: Double
    var pNo: Double
    /// log P(yes) − log P(no).
    var logRatio: Double
  }

  let question: [Int32]
  private let yesIDs: [Int32]
  private let noIDs: [Int32]
  /// Compare against the baseline (not zero), by more than `margin`.
  private let relative: Bool
  private let margin: Double
  private(set) var baseline = 0.0
  /// Input tokens when the baseline was measured (-1: never, or a new turn).
  private var baselineInput = -1
  /// Questions asked.
  private(set) var count = 0
  private let layout: CacheLayout
  private let meter: ComputeMeter

  /// `question`: encoded (the layout sized the probe block for it); `yes`/`no`: the answers'
  /// tokens as text.
  init(
    question: [Int32], yes: [String], no: [String], relative: Bool, margin: Double, tokenizer tok: Tokenizer,
    layout: CacheLayout, meter: ComputeMeter
  ) {
    self.question = question
    yesIDs = SpecialTokens.ids(yes, tok)
    noIDs = SpecialTokens.ids(no, tok)
    self.relative = relative
    self.margin = margin
    self.layout = layout
    self.meter = meter
  }

  /// The set's control question.
  convenience init(question: [Int32], prompts: PromptSet, tokenizer tok: Tokenizer, layout: CacheLayout, meter: ComputeMeter) {
    self.init(
      question: question, yes: prompts.yesTokens, no: prompts.noTokens, relative: prompts.probeRelative,
      margin: prompts.probeMargin, tokenizer: tok, layout: layout, meter: meter)
  }

  /// The set's request check: "yes" is the answer that flags the request.
  convenience init(
    check: PromptSet.RequestCheck, question: [Int32], tokenizer tok: Tokenizer, layout: CacheLayout, meter: ComputeMeter
  ) {
    self.init(
      question: question, yes: check.flagTokens, no: check.clearTokens, relative: false, margin: check.margin, tokenizer: tok,
      layout: layout, meter: meter)
  }

  /// The answer says yes: its log ratio passes the margin (over the baseline, with the relative rule).
  func says(_ a: Answer) -> Bool { a.logRatio - (relative ? baseline : 0) > margin }

  /// The relative rule's baseline is not measured on the input as it is now (`inputTokens`).
  func baselineDue(inputTokens: Int) -> Bool { relative && baselineInput != inputTokens }

  /// Measures the baseline (the question without the thoughts) for an input of `inputTokens`.
  func measureBaseline(inputTokens: Int) {
    baseline = ask(view: layout.baselineView).logRatio
    baselineInput = inputTokens
  }

  /// A new turn: the baseline is measured again.
  func forgetBaseline() { baselineInput = -1 }

  /// Asks the question at the end of `view`. Past the context limit it cannot be asked: it
  /// counts as "no".
  func ask(view: [BlockID]) -> Answer {
    guard layout.room(view) >= question.count else { return Answer(pYes: 0, pNo: 0, logRatio: -.infinity) }
    count += 1
    let t0 = Date()
    let model = layout.model
    model.prefill(question, view: view, store: layout.store, wantLogits: true)
    let a = answer(model.logits(0))
    meter.trace("probe \(question.count) tok", since: t0)
    meter.book(prefill: question.count, since: t0)
    return a
  }

  /// `ask`, in one pass with the stale mids the next refreshes would re-encode
  /// (`CacheLayout.ask(_:at:withStaleMids:_:)`): the same answer, sooner.
  func ask(view: [BlockID], withStaleMids thinker: Bool, _ writer: Bool) -> Answer {
    guard layout.room(view) >= question.count else { return Answer(pYes: 0, pNo: 0, logRatio: -.infinity) }
    count += 1
    return layout.ask(question, at: view, withStaleMids: thinker, writer).withUnsafeBufferPointer(answer)
  }

  /// The answer in the question's logits `l`; clears the question's block.
  private func answer(_ l: UnsafeBufferPointer<Float>) -> Answer {
    let mx = Double(l.max() ?? 0)
    var z = 0.0
    for v in l { z += exp(Double(v) - mx) }
    let p = { (ids: [Int32]) in ids.reduce(0.0) { $0 + exp(Double(l[Int($1)]) - mx) / z } }
    let py = p(yesIDs), pn = p(noIDs)
    layout.store.truncate(layout.probe, to: 0)
    return Answer(pYes: py, pNo: pn, logRatio: log(max(py, 1e-30)) - log(max(pn, 1e-30)))
  }
  private func answer(_ l: UnsafeMutableBufferPointer<Float>) -> Answer { answer(UnsafeBufferPointer(l)) }
}
