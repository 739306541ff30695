/// A writer caught in a loop: its answer ends in the same run of tokens said three times or more
/// back to back, at least `minLength` tokens in all ("… which is 9 cookies left for 3 dollars
/// each, which is 9 cookies left for 3 dollars each, which is …", "000 000 000 …"). A 1.5B
/// writer that falls into one repeats it to its budget (DECISIONS.md, session 16).
public enum Repetition {
  /// The shortest period `p` (1…`maxPeriod` tokens) with which the last `max(3p, minLength)`
  /// tokens of `tokens` repeat, or nil.
  public static func loopPeriod(_ tokens: [Int32], minLength: Int = 24, maxPeriod: Int = 64) -> Int? {
    let n = tokens.count
    for p in 1...maxPeriod {
      let span = max(3 * p, minLength)
      guard span <= n else { break }
      let start = n - span
      var periodic = true
      var i = n - 1
      while i - p >= start {
        if tokens[i] != tokens[i - p] {
          periodic = false
          break
        }
        i -= 1
      }
      if periodic { return p }
    }
    return nil
  }
}
