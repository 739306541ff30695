import Foundation
import Reasoning
import Testing

/// `asyncvoice prompts NAME` prints a set that `--prompts FILE` reads back unchanged.
@Suite struct PromptsCommandTests {
  @Test("every built-in set round-trips through `prompts NAME` and PromptSet.load; an unknown name exits 2")
  func roundTrip() throws {
    let names = try OptionTests.run(["prompts"])
    #expect(names.status == 0 && names.stdout.split(separator: "\n").map(String.init) == PromptSet.builtIn.map(\.name))
    for set in PromptSet.builtIn {
      let r = try OptionTests.run(["prompts", set.name])
      #expect(r.status == 0, "\(r.stderr)")
      let file = OutputTests.temp("\(set.name).json")
      try r.stdout.write(toFile: file, atomically: true, encoding: .utf8)
      defer { try? FileManager.default.removeItem(atPath: file) }
      #expect(try PromptSet.load(path: file) == set, "\(set.name)")
    }
    let bad = try OptionTests.run(["prompts", "nope"])
    #expect(bad.status == 2 && bad.stderr.contains("no built-in prompt set \"nope\""), "\(bad.stderr)")
  }
}
