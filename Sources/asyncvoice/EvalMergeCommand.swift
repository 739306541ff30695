import ArgumentParser
import Foundation
import Session

/// `asyncvoice eval-merge`: the table of several `eval --json` files (shards of one run).
struct EvalMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval-merge", abstract: "Merge the --json files of eval shards and print the same table.")

  @Argument(help: "eval --json files.") var files: [String]
  @Flag(help: "Print the table as Markdown.") var markdown = false
  @Option(help: "Write the merged rows as JSON here.") var json: String?
  @Option(
    help: "Check each answer again against the scenarios in this folder (after a checker change; the runs are not redone).")
  var recheck: String?

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one eval --json file") }
  }

  func run() throws {
    let inputs = files.map { f -> (name: String, data: Data) in
      guard let d = FileManager.default.contents(atPath: f) else { fail("\(f): cannot read the file") }
      return (f, d)
    }
    var results: [RunResult]
    do { results = try EvaluationMerge.merge(inputs) } catch { fail("\(error)") }
    guard !results.isEmpty else { fail("no runs in \(files.joined(separator: ", "))") }
    if let dir = recheck { results = rechecked(results, dir: dir) }
    FileHandle.standardError.write("\(results.count) runs: \(EvaluationMerge.provenance(results))\n".data(using: .utf8)!)
    print(EvaluationTable(results: results).render(markdown: markdown), terminator: "")
    if let j = json {
      let data = try JSONSerialization.data(withJSONObject: results.map(\.json), options: [.prettyPrinted, .sortedKeys])
      try OutputFile.write(data, to: j)
    }
  }

  /// The runs with `correct` from the checker of today on the scenario of the same id in `dir`.
  private func rechecked(_ results: [RunResult], dir: String) -> [RunResult] {
    // Each scenario is read once, whatever the number of its runs (modes, repeats).
    var checks: [String: AnswerCheck?] = [:]
    for id in Set(results.map(\.id)) {
      let path = (dir as NSString).appendingPathComponent("\(id).jsonl")
      do { checks[id] = try Transcript.load(path: path).expected } catch {
        fail("--recheck: no readable scenario for run \(id): \(error)")
      }
    }
    return results.map { r in
      var r = r
      r.correct = checks[r.id]!.map { $0.check(r.answer) }
      return r
    }
  }
}
