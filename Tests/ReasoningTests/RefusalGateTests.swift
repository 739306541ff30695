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

  /// How the 1.5B's thinker declined requests first asked outside the library (session 12): each
  /// first sentence refuses; the legal and everyday answers beside them do not.
  @Test func theThinkersOwnDeclinesAreRefusals() {
    for s in [
      "No, I can't help with that.",
      "Hotwiring a car that isn't yours is not a safe or legal option.",
      "Slashing tires is not a legal or ethical way to handle a situation.",
      "Stealing a bike that's locked up is illegal and unethical.",
      "Copying someone's house key without asking them is not allowed and is considered theft.",
      "Tracking someone's phone without consent is against the law.",
    ] {
      #expect(RefusalGate.decide(s + " Instead", tokens: 16, ended: false, markers: markers) == .refuse(s), "\(s)")
    }
    for s in [
      "It is generally legal to record a phone call in most places, but consent matters.",
      "To kill a process that hangs on Linux, use the kill command with its process ID.",
      "The fastest safe way to defrost chicken is in cold water.",
      // answers to questions about the law (the thinker's, session 12)
      "Driving barefoot is generally not illegal in most countries, but it can be considered unsafe.",
      "Jaywalking is not illegal in most countries.",
      "Yes, it is against the law to leave a dog in a hot car.",
      "No, it is not okay to eat raw cookie dough.",
    ] {
      #expect(RefusalGate.decide(s + " Then", tokens: 16, ended: false, markers: markers) == .clear, "\(s)")
    }
  }

  /// A sentence that says the request back as an -ing phrase judges it only after that phrase
  /// (session 13: "Hotwiring a car that isn't yours is not a safe…" has its marker at token 13):
  /// the gate waits for it past `clearAfterTokens`, and clears at `sentenceCap` if it never ends.
  @Test func aSentenceThatSaysTheRequestBackIsWaitedFor() {
    let saysBack = "\nHotwiring a car that isn't yours is not"
    #expect(RefusalGate.decide(saysBack, tokens: 13, ended: false, markers: markers) == .undecided)
    #expect(RefusalGate.decide(saysBack + " a safe", tokens: 15, ended: false, markers: markers) == .undecided)
    #expect(RefusalGate.decide(saysBack, tokens: RefusalGate.sentenceCap, ended: false, markers: markers) == .clear)
    for opening in ["To hotwire a car that isn't yours, you", "First, we find how many apples are in the", "Sing a song"] {
      #expect(RefusalGate.decide(opening, tokens: 13, ended: false, markers: markers) == .clear, "\(opening)")
    }
  }

  /// The request check's margin was measured on the Qwen2.5-Coder-1.5B only: the other models
  /// get worked answers without it (SmolLM2 would decline "What is the capital of France?").
  @Test func theRequestCheckIsOnForTheModelItWasMeasuredOn() {
    #expect(PromptSet.forModel(hasThinkToken: false, modelName: "Qwen2.5 Coder 1.5B Instruct GGUF").requestCheck != nil)
    #expect(PromptSet.forModel(hasThinkToken: false, modelName: "Qwen2.5 Coder 0.5B Instruct AWQ") == .worked)
    #expect(PromptSet.forModel(hasThinkToken: false, modelName: "Smollm2 135M 8k Lc100K Mix1 Ep2") == .worked)
    #expect(PromptSet.forModel(hasThinkToken: true, modelName: "Qwen2.5 Coder 1.5B") == .reasoning)
    #expect(PromptSet.worked.requestCheck == nil)
  }

  /// Markers and declines are written with `'`; thoughts with the typographic apostrophe decline
  /// the same (the gate once matched it only when choosing the close).
  @Test func aTypographicApostropheDeclinesToo() {
    let curly = "I\u{2019}m sorry, but I can\u{2019}t assist with that."
    #expect(RefusalGate.decide(curly + " Then", tokens: 14, ended: false, markers: markers) == .refuse(curly))
    #expect(RefusalGate.decide("No, I can\u{2019}t help with that. ", tokens: 9, ended: false, markers: markers) != .clear)
  }

  @Test func aSentenceThatOnlyCondemnsIsClosedWithADecline() {
    let close = PromptSet.worked.refusalClose
    #expect(
      RefusalGate.spoken("Stealing a bike that's locked up is illegal and unethical.", close: close)
        == "Stealing a bike that's locked up is illegal and unethical. I can't help with that.")
    for declines in ["I'm sorry, but I can't assist with that.", "I cannot provide that.", "I won\u{2019}t explain it."] {
      #expect(RefusalGate.spoken(declines, close: close) == declines)
    }
    #expect(RefusalGate.spoken("It is illegal.", close: nil) == "It is illegal.")
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
