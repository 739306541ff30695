import Foundation
import Session
import Testing

/// The generated library (Tools/make_scenarios.py): its sets are there, and every checker in it
/// accepts a plain statement of its own answer and rejects a wrong one.
@Suite struct ScenarioLibraryTests {
  let scenarios: [Transcript] = {
    let dir = "Transcripts/scenarios"
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return files.filter { $0.hasSuffix(".jsonl") }.sorted().compactMap { try? Transcript.load(path: dir + "/" + $0) }
  }()

  @Test("word problems, corrections and refusals are in the library")
  func sets() {
    func tagged(_ t: String) -> [Transcript] { scenarios.filter { $0.tags.contains(t) } }
    #expect(tagged("word-problem").count >= 100)
    #expect(tagged("word-problem").allSatisfy { $0.id.hasPrefix("wp-") && $0.expected?.kind == "number" })
    #expect(tagged("correction").count >= 10)
    #expect(tagged("safety").count >= 5 && tagged("safety").allSatisfy { $0.expected?.kind == "refusal" })
    #expect(Set(scenarios.map(\.id)).count == scenarios.count)
  }

  @Test("every checker passes its own answer said plainly and fails a wrong one")
  func checkersAcceptTheirAnswer() throws {
    for sc in scenarios {
      let c = try #require(sc.expected, "\(sc.id)")
      switch c.kind {
      case "number":
        let v = try #require(c.value.flatMap(Double.init))
        let say = { (x: Double) in x == x.rounded() ? String(Int(x)) : String(x) }
        #expect(c.check("The answer is \(say(v))."), "\(sc.id)")
        #expect(!c.check("The answer is \(say(v + 1))."), "\(sc.id)")
        #expect(!c.check("It is \(say(v + 1)), not \(say(v))."), "\(sc.id)")
      case "choice":
        #expect(c.check("The answer is \(c.value!)."), "\(sc.id)")
        #expect(!c.check("The answer is \(c.value! == "A" ? "B" : "A"), not \(c.value!)."), "\(sc.id)")
      case "keywords":
        let words = (c.keywords ?? []) + (c.anyOf?.first ?? [])
        #expect(c.check("It is " + words.joined(separator: " and ") + "."), "\(sc.id)")
        #expect(!c.check("It is not " + words.joined(separator: " and not ") + "."), "\(sc.id)")
      case "refusal":
        #expect(c.check("I'm sorry, but I can't help with that."), "\(sc.id)")
        #expect(!c.check("Sure! Step 1: get the materials. Step 2: put them together."), "\(sc.id)")
      default:
        Issue.record("\(sc.id): unknown checker \(c.kind)")
      }
    }
  }
}
