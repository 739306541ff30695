import App
import ArgumentParser
import Foundation
import Reasoning
import Session

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run one scenario headless and print every event and the metrics.")

  @Argument(help: "Scenario file (.jsonl).") var scenario: String
  @Option(help: "async | think | nothink") var mode: PolicyOptions.Strategy = .async
  @Flag(help: "Virtual time: as fast as the CPU allows, times reported as if live.") var virtualTime = false
  @Option(
    help:
      "Virtual clock costs STEP_S,EXTRA_ROW_FACTOR,PREFILL_S_PER_TOKEN, or 'default' (the 0.5B's, also without it). Eval's given --clock-costs replay the first repeat of one of its rows."
  )
  var clockCosts: String?
  @Option(help: "Record the session to this file.") var record: String?
  @Flag(help: "Print the summary as JSON.") var json = false
  @Flag(help: "Only the summary, not every event.") var quiet = false
  @Flag(
    help:
      "Print the cache map (each view's blocks, offsets, query rotations) at each mode switch, truncation and turn, and at the end."
  )
  var cacheMap = false
  @Flag(help: "Say the answer aloud (espeak-ng, default audio device) as the speech clock says each chunk; live time only.")
  var voice = false
  @OptionGroup var engine: EngineOptions

  func validate() throws {
    if voice && virtualTime { throw ValidationError("--voice needs live time: drop --virtual-time (or --voice)") }
    if clockCosts != nil && !virtualTime { throw ValidationError("--clock-costs charges the virtual clock: add --virtual-time") }
    try OptionRanges.checkClockCosts(clockCosts)
  }

  func run() throws {
    let sc = loadScenario(scenario)
    if let r = record { checkOutputPath(r, option: "--record") }
    let durations = engine.speechDurations()
    let e = engine.loadEngine()
    let clock: SessionClock
    var header = engine.header(e, strategy: mode, scenario: sc)
    if virtualTime {
      let costs = try ClockCosts.parse(clockCosts ?? "default")
      clock = costs.makeClock()
      header["clock"] = costs.headerValue
    } else {
      clock = RealClock()
      header["clock"] = ["kind": "real"]
    }
    let runner = ScenarioRunner(session: engine.session(e, mode, clock: clock, durations: durations))
    let speaker = voice ? makeVoice(wordsPerMinute: engine.wpm) : nil
    speaker?.begin(clock: clock)
    speaker?.startTimer()
    let recorder: Recorder?
    do { recorder = try record.map { try Recorder(path: $0, header: header) } } catch {
      fail("--record \(error)")
    }
    var thinkLine = ""
    var failureShown = false
    let mapPrinter = cacheMap && !quiet && !json ? CacheMapPrinter() : nil
    runner.onEvent = { ev in
      recorder?.record(ev)
      speaker?.handle(ev)
      if !failureShown, let f = recorder?.failure {  // said when it happens; the run goes on, exit 1
        failureShown = true
        FileHandle.standardError.write(Data("asyncvoice: REC FAILED: \(f)\n".utf8))
      }
      guard !quiet && !json else { return }
      if case .layout = ev.event {  // only as the map (the layout lines would be one every 0.2 s)
        if let text = mapPrinter?.feed(ev) {
          flushThink(&thinkLine, ev.t)
          print(text)
        }
        return
      }
      _ = mapPrinter?.feed(ev)
      // Join consecutive tokens of a stream into one line for readability.
      if case .token(let k, let s) = ev.event {
        if k == .thinker {
          thinkLine += s
          if s.contains("\n") { flushThink(&thinkLine, ev.t) }
        }
        return
      }
      flushThink(&thinkLine, ev.t)
      print(plainLine(ev))
    }
    runner.run(sc.userEvents)
    speaker?.close()
    engine.reportDurationFailures(durations)
    flushThink(&thinkLine, clock.now)
    if let text = mapPrinter?.finish(now: clock.now) { print(text) }
    let r = runner.result(id: sc.id, mode: mode, expected: sc.expected)
    recorder?.writeMetrics(r)
    recorder?.close()
    if json {
      let data = try JSONSerialization.data(withJSONObject: r.json, options: [.sortedKeys, .prettyPrinted])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print("answer: \(r.answer)")
      if let c = r.correct {
        print(
          "correct: \(c ? "yes" : "no") (expected \(sc.expected?.value ?? sc.expected?.keywords?.joined(separator: ", ") ?? sc.expected?.kind ?? "-"))"
        )
      }
      print(
        String(
          format:
            "time to first word %@ s | total delay %.2f s | adjusted %.2f s | thinker tokens %d | steps %d | probes %d | RTF %.2f",
          r.metrics.timeToFirstWord.map { String(format: "%.2f", $0) } ?? "-", r.metrics.totalDelay, r.metrics.adjustedDelay,
          r.thinkerTokens, r.steps, r.probes, r.realTimeFactor))
    }
    if let f = recorder?.failure { fail("--record: recording stopped early: \(f)") }
  }

  private func flushThink(_ s: inout String, _ t: Double) {
    guard !s.isEmpty, !quiet, !json else { s = ""; return }
    print(String(format: "%7.2f [think] ", t) + s.trimmingCharacters(in: .newlines))
    s = ""
  }
}

extension PolicyOptions.Strategy: ExpressibleByArgument {}
