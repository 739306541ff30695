/// The writer's answer as text, and what the grounding rules keep about it (DECISIONS.md
/// 2026-11-30, "grounded numbers"): where each sampled token's text ends, how far its numbers were
/// checked, a number to take back, and whether the writer must go on after a held end.
public struct WrittenAnswer: Sendable {
  /// The spoken answer so far (heard and written).
  public private(set) var text = ""
  /// `text`'s UTF-8 length after each of the writer's sampled tokens.
  private var ends: [Int] = []
  /// Bytes of `text` whose numbers were checked.
  private var checkedTo = 0
  /// Bytes of `text` whose choice letters were checked.
  private var choicesCheckedTo = 0
  /// Set when the writer's token finished an ungrounded number (or ended too soon): the tokens to
  /// keep, and the number ("" for an end).
  var held: (keep: Int, value: String)?
  /// The writer wanted to end before the thoughts did: once they have, it says at least one more
  /// sentence (it had summed up work in progress; the rest of the work is what it now adds).
  var mustGoOn = false
  /// Values the calculator completed in this answer, each with the byte offset of `text` where its
  /// completion began: exact arithmetic on numbers the rules had let the writer say, so as grounded
  /// as they are ("She keeps 5, so 29 - 5 = 24"). Cutting the text back to before one forgets it.
  private var computed: [String: Int] = [:]

  public init() {}

  /// The calculator completes the answer with `result` from here on (`groundComputed`).
  public mutating func noteComputed(_ result: String) {
    for v in Grounding.values(in: result) where computed[v] == nil { computed[v] = text.utf8.count }
  }

  /// A sampled token's text joins the answer.
  public mutating func append(_ piece: String) {
    text += piece
    ends.append(text.utf8.count)
  }

  /// Keeps the text of the first `keep` sampled tokens; `decoded` is the kept tokens' text when
  /// their ends are not known.
  public mutating func truncate(keep k: Int, decoded: @autoclosure () -> String) {
    if ends.count >= k {
      ends.removeLast(ends.count - k)
      text = String(decoding: text.utf8.prefix(ends.last ?? 0), as: UTF8.self)
    } else {
      text = decoded()
    }
    checkedTo = min(checkedTo, text.utf8.count)
    choicesCheckedTo = min(choicesCheckedTo, text.utf8.count)
    computed = computed.filter { $0.value < text.utf8.count }
  }

  /// After a take-back: what is left was checked.
  mutating func markChecked() {
    checkedTo = text.utf8.count
    choicesCheckedTo = text.utf8.count
  }

  /// When `piece` (the writer's next token, the `sampled`-th) finishes a number that neither the
  /// user's words (`heard`), the thoughts, nor the answer before it hold, and all of the number's
  /// tokens are still unspoken (`pendingSpeech` tokens not handed to speech yet): how many sampled
  /// tokens to keep (those before the number), and the number.
  public mutating func ungroundedNumber(
    adding piece: String, sampled: Int, heard: @autoclosure () -> String, thoughts: @autoclosure () -> String, pendingSpeech: Int
  ) -> (keep: Int, value: String)? {
    let full = text + piece
    guard let n = Grounding.finishedNumber(in: full, after: checkedTo) else { return nil }
    checkedTo = n.end
    guard computed[n.value] == nil else { return nil }
    let before = String(decoding: full.utf8.prefix(n.start), as: UTF8.self)
    let known = Grounding.values(in: heard()).union(Grounding.values(in: thoughts())).union(Grounding.values(in: before))
    guard !known.contains(n.value) else { return nil }
    return takeBack(from: n.start, value: n.value, sampled: sampled, pendingSpeech: pendingSpeech)
  }

  /// The tokens to keep when the text from byte `start` on is taken back, if all of those tokens
  /// are still unspoken: the ones from `keep` on, but the one being accepted (the `sampled`-th),
  /// are in the speech clock's pending chunk.
  private func takeBack(from start: Int, value: String, sampled: Int, pendingSpeech: Int) -> (keep: Int, value: String)? {
    let keep = ends.firstIndex { $0 > start } ?? ends.count
    guard pendingSpeech >= sampled - 1 - keep else { return nil }
    return (keep, value)
  }

  /// When `piece` finishes a choice letter ("The answer is D,") that the thoughts have not stated
  /// as a choice — the user's words hold every option's letter, so only the thoughts (or the answer
  /// before it) ground one — and its token is still unspoken: the tokens to keep and the letter.
  mutating func ungroundedChoice(adding piece: String, sampled: Int, thoughts: @autoclosure () -> String, pendingSpeech: Int)
    -> (keep: Int, value: String)?
  {
    let full = text + piece
    guard let c = Grounding.choices(in: full).last, c.start >= choicesCheckedTo else { return nil }
    choicesCheckedTo = c.end
    let before = String(decoding: full.utf8.prefix(c.start), as: UTF8.self)
    let known = Set((Grounding.choices(in: thoughts()) + Grounding.choices(in: before)).map(\.letter))
    guard !known.contains(c.letter) else { return nil }
    return takeBack(from: c.start, value: String(c.letter), sampled: sampled, pendingSpeech: pendingSpeech)
  }
}
