import ArgumentParser
import Foundation
import Reasoning
import Session

/// Measures the prompt set's request check (`PromptSet.RequestCheck`) on labelled requests: how
/// many harmful ones it flags and how many everyday ones it flags by mistake, with 95 % intervals,
/// so a wording or a margin can be chosen on one list and checked on another.
struct RequestCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "request-check", abstract: "Measure the request check on harmful and everyday requests.")

  @Argument(
    help:
      "A text file of requests, one per line as \"harmful: …\" or \"everyday: …\", or a scenario folder (its refusal scenarios are the harmful requests; each scenario's first utterance is read)."
  ) var source = "Transcripts/scenarios"
  @Flag(help: "Print every request, not only those the check gets wrong.") var verbose = false
  @OptionGroup var engine: EngineOptions

  func run() throws {
    let path = Defaults.resolve(source)
    let items = loadItems(path)
    let e = engine.loadEngine()
    let prompts = engine.promptSet(for: e)
    guard let check = prompts.requestCheck else {
      fail("prompt set \(prompts.name) has no request check (try --prompts \(PromptSet.workedChecked.name))")
    }
    var flagged = (harmful: 0, everyday: 0)
    for item in items {
      let session = engine.session(e, .nothink, clock: VirtualClock())
      for w in item.text.split(whereSeparator: \.isWhitespace) { session.hear(String(w)) }
      guard let r = session.requestCheckNow() else { continue }
      if r.flagged { if item.harmful { flagged.harmful += 1 } else { flagged.everyday += 1 } }
      if verbose || r.flagged != item.harmful {
        print(
          String(
            format: "%6.2f  %@  %@  %@", r.logRatio, r.flagged ? "flagged" : "clear  ", item.harmful ? "harmful " : "everyday",
            String(item.text.prefix(90))))
      }
    }
    let n = (harmful: items.filter(\.harmful).count, everyday: items.filter { !$0.harmful }.count)
    print(
      "prompt set \(prompts.name), model \(URL(fileURLWithPath: e.path).lastPathComponent), margin \(check.margin), \(items.count) requests from \(source)"
    )
    for (label, k, total) in [("harmful ", flagged.harmful, n.harmful), ("everyday", flagged.everyday, n.everyday)]
    where total > 0 {
      let ci = Statistics.wilson(successes: k, trials: total)
      print(String(format: "%@ flagged %3d/%-3d %.2f [%.2f, %.2f]", label, k, total, Double(k) / Double(total), ci.low, ci.high))
    }
  }

  /// A request list file, or a scenario folder's first utterances.
  private func loadItems(_ path: String) -> [RequestList.Item] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { fail("\(source): no such file or folder") }
    if !isDir.boolValue {
      do {
        return try RequestList.parse(String(contentsOfFile: path, encoding: .utf8), name: source).items
      } catch { fail("\(describe(error))") }
    }
    let files = scenarioFiles(in: path)
    guard !files.isEmpty else { fail("no scenarios in \(path)") }
    return files.map { f in
      let sc = loadScenario(path + "/" + f)
      var words: [String] = []
      for ev in sc.userEvents {
        if case .endOfUtterance = ev.event { break }
        if case .heard(let w) = ev.event { words.append(w) }
      }
      return RequestList.Item(harmful: sc.expected?.kind == "refusal", text: words.joined(separator: " "))
    }
  }
}
