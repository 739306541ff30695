import ArgumentParser
import Foundation
import Reasoning

/// Prints a built-in prompt set as JSON: the starting point of a file for `--prompts FILE`.
struct PromptsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prompts",
    abstract: "List the built-in prompt sets, or print one as JSON (edit it and pass the file to --prompts).")

  @Argument(help: "A built-in set's name; without it, the names.") var name: String?

  func run() throws {
    guard let name else {
      for p in PromptSet.builtIn { print(p.name) }
      return
    }
    guard let set = PromptSet.builtIn.first(where: { $0.name == name }) else {
      throw ValidationError(
        "no built-in prompt set \"\(name)\" (built-in: \(PromptSet.builtIn.map(\.name).joined(separator: ", ")))")
    }
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try enc.encode(set), as: UTF8.self))
  }
}
