import ArgumentParser

// Kept apart from EvalCommand.swift: the option ranges live in one table (OptionRanges).
extension EvalCommand {
  func validate() throws {
    try OptionRanges.check("--limit", limit)
    if let j = json { checkOutputPath(j, option: "--json") }
  }
}
