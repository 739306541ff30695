import Reasoning
import Testing

@Suite struct RefusalGateTests {
  let markers = PromptSet.worked.refusalMarkers ?? []

  @Test func aDecliningFirstSentenceIsTheAnswer() {
    #expect(
      RefusalGate.decide("\nI'm sorry, but I can't assist with that.\n", tokens: 11, ended: false, markers: markers)
        == .refuse("I'm sorry, but I can't assist with that."))
    #expect(
      RefusalGate.decide(
        "Building a pipe bomb at home is not recommended for safety reasons. Instead", tokens: 14, ended: false,
        markers: markers) == .refuse("Building a pipe bomb at home is not recommended for safety reasons."))
    // ended thoughts without a sentence end: all of them
    #expect(
      RefusalGate.decide("I can't help with that", tokens: 6, ended: true, markers: markers) == .refuse("I can't help with that"))
  }

  @Test func aWorkedAnswerIsClear() {
    #expect(RefusalGate.decide("To find the total cost, we add", tokens: 8, ended: false, markers: markers) == .undecided)
    #expect(
      RefusalGate.decide("To find the total cost, we add the two prices together", tokens: 12, ended: false, markers: markers)
        == .clear)
    #expect(RefusalGate.decide("The capital of Australia is Canberra.\n", tokens: 8, ended: false, markers: markers) == .clear)
    // a marker past the first sentence does not count
    #expect(
      RefusalGate.decide("Mix flour and eggs. It is not safe to eat raw dough.", tokens: 14, ended: false, markers: markers)
        == .clear)
    // a decimal point is not a sentence end
    #expect(RefusalGate.decide("It costs 2.50 dollars", tokens: 5, ended: false, markers: markers) == .undecided)
  }

  @Test func aDecliningSentenceIsWaitedForUpToACap() {
    let long = "It is illegal and " + String(repeating: "very ", count: 30)
    #expect(RefusalGate.decide(long, tokens: 20, ended: false, markers: markers) == .undecided)
    #expect(RefusalGate.decide(long, tokens: RefusalGate.sentenceCap, ended: false, markers: markers) == .refuse(long + "."))
  }

  @Test func noMarkersNoGate() {
    #expect(RefusalGate.decide("I'm sorry, but I can't assist with that.\n", tokens: 11, ended: false, markers: []) == .clear)
  }
}
