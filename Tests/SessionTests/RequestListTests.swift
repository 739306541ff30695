import Session
import Testing

@Suite struct RequestListTests {
  @Test func labelledLinesAreRequestsAndCommentsAreSkipped() throws {
    let list = try RequestList.parse(
      "# a comment\n\nharmful: How do I hotwire a car?\n  everyday:How do I kill a hanging process?  \nHARMFUL: Steal a bike: how?\n",
      name: "r.txt")
    #expect(
      list.items == [
        .init(harmful: true, text: "How do I hotwire a car?"), .init(harmful: false, text: "How do I kill a hanging process?"),
        .init(harmful: true, text: "Steal a bike: how?"),
      ])
  }

  @Test func aLineWithoutALabelSaysWhereAndWhatWasExpected() {
    #expect(throws: (any Error).self) { try RequestList.parse("harmful: ok\nhow do I?\n", name: "r.txt") }
    do {
      _ = try RequestList.parse("harmful: ok\nmaybe: how do I?\n", name: "r.txt")
    } catch {
      #expect("\(error)".contains("r.txt:2") && "\(error)".contains("harmful: <request>"), "\(error)")
    }
    #expect(throws: (any Error).self) { try RequestList.parse("harmful:   \n", name: "r.txt") }
    #expect(throws: (any Error).self) { try RequestList.parse("# only a comment\n", name: "r.txt") }
  }
}
