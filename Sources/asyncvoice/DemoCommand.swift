import ArgumentParser
import Foundation
import Reasoning
import Session
import Transformer

/// Runs scenarios live: the engine on its own serial queue, user words released by a
/// DispatchSourceTimer at the scenario's times, the screen on the main thread.
final class LiveDriver: EventSourceDriver, @unchecked Sendable {
  let engine: Engine
  let options: EngineOptions
  let scenarios: [Transcript]
  let strategy: PolicyOptions.Strategy
  let recordDir: String?
  let feed = EventFeed()
  private let engineQueue = DispatchQueue(label: "asyncvoice.engine")
  /// Guards the state shared between the engine queue and the UI thread (below, up to `consumed`).
  private let lock = NSLock()
  private var runner: ScenarioRunner?
  /// A scenario is being set up (its runner not made yet); `n` and lines typed meanwhile wait for it.
  private var settingUp = false
  private var skipPending = false
  private var typedPending: [String] = []
  private var index = 0
  private var start = Date()
  private var resetPending = false
  private var isFinished = false
  private var path = ""
  private var error: String?
  private var lastRTF = 0.0
  /// When the last interjection was typed, and how long it took to reach the engine.
  private var keyTime: Date?
  private var keyLatency: Double?
  /// UI thread only: events already shown, and the display freeze.
  private var consumed = 0
  private var frozen = false
  /// A person can type (a terminal): the conversation stays open after the last scenario. Set
  /// before `startNext`.
  var interactive = true

  var finished: Bool { locked { isFinished } }
  var recordingPath: String { locked { path } }
  var recordingError: String? { locked { error } }

  private func locked<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  init(engine: Engine, options: EngineOptions, scenarios: [Transcript], strategy: PolicyOptions.Strategy, recordDir: String?) {
    self.engine = engine
    self.options = options
    self.scenarios = scenarios
    self.strategy = strategy
    self.recordDir = recordDir
  }

  func startNext() {
    engineQueue.async { [self] in
      let interactive = interactive
      while true {
        // The engine queue is the only writer of `index`; the UI thread reads it under the lock.
        lock.lock()
        guard index < scenarios.count else {
          lock.unlock()
          break
        }
        let sc = scenarios[index]
        index += 1
        let isLast = index == scenarios.count
        settingUp = true
        feed.reset()
        resetPending = true
        start = Date()
        lock.unlock()
        let clock = RealClock()
        let session = options.session(engine, strategy, clock: clock)
        let r = ScenarioRunner(session: session)
        r.tail = 4
        // After the last scenario the conversation stays open: a typed line is the next question.
        r.keepListening = interactive && isLast
        var recorder: Recorder? = nil
        if let dir = recordDir {
          // A .jsonl path records the one scenario there; otherwise a stamped file in the folder.
          let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
          let file = dir.hasSuffix(".jsonl") ? dir : "\(dir)/\(stamp)-\(sc.id).jsonl"
          do {
            recorder = try Recorder(path: file, header: options.header(engine, strategy: strategy, scenario: sc))
          } catch {
            recordingFailed("cannot record to \(file): \(error)")
          }
          locked { path = file }
        }
        r.onEvent = { [feed] e in
          feed.append(e)
          recorder?.record(e)
          if let f = recorder?.failure { self.recordingFailed("recording stopped: \(f)") }
        }
        locked {
          runner = r
          settingUp = false
          if skipPending { r.cancel() }  // `n` pressed while the scenario was set up
          typedPending.forEach(r.interject)
          skipPending = false
          typedPending = []
        }
        // User speech: a DispatchSourceTimer (SpeechFeeder) posts each word at its time. The open
        // conversation after the last scenario has no time limit (history drops the oldest turns).
        r.runLive(sc.userEvents, maxSeconds: r.keepListening ? .infinity : 300)
        let res = r.result(id: sc.id, mode: strategy, expected: sc.expected)
        recorder?.writeMetrics(res)
        if let f = recorder?.failure { recordingFailed("recording stopped: \(f)") }
        recorder?.close()
        locked {
          lastRTF = res.realTimeFactor
          runner = nil
        }
        if r.cancelled { continue }
        Thread.sleep(forTimeInterval: 2)
      }
      locked { isFinished = true }
    }
  }

  /// The recording failed (cannot open, or a write failed): the status shows REC FAILED, the
  /// exit status is 1. The first reason is kept.
  private func recordingFailed(_ reason: String) {
    locked { if error == nil { error = reason } }
  }

  func poll(wall dt: Double) -> (events: [TimedEvent], now: Double, reset: Bool) {
    lock.lock()
    let reset = resetPending
    resetPending = false
    if reset { consumed = 0 }
    let now = Date().timeIntervalSince(start)
    lock.unlock()
    if frozen { return ([], now, reset) }
    let ev = feed.since(consumed)
    consumed += ev.count
    if ev.contains(where: { if case .interjection = $0.event { return true } else { return false } }) {
      locked {
        if let k = keyTime { keyLatency = Date().timeIntervalSince(k) }
        keyTime = nil
      }
    }
    return (ev, now, reset)
  }

  func interject(_ text: String) {
    locked {
      keyTime = Date()
      if let r = runner { r.interject(text) } else if settingUp { typedPending.append(text) }
    }
  }
  func togglePause() { frozen.toggle() }
  func changeSpeed(_ factor: Double) {}
  func next() {
    locked {
      if let r = runner { r.cancel() } else if settingUp { skipPending = true }
    }
  }
  func step() {}
  func jump(forward: Bool) {}
  var statusFields: [String] {
    lock.lock()
    defer { lock.unlock() }
    let sc = index > 0 ? scenarios[index - 1].id : ""
    // REC FAILED first: the status line leaves out the fields that do not fit.
    var f = error != nil ? ["REC FAILED"] : []
    f += ["\(index)/\(scenarios.count) \(sc)", "1.0x"]
    if lastRTF > 0 { f.append(String(format: "RTF %.2f", lastRTF)) }
    if let k = keyLatency { f.append(String(format: "key→engine %.0f ms", k * 1000)) }
    if error == nil && recordDir != nil { f.append("● REC") }
    if frozen { f.append("⏸ display paused") }
    if isFinished { f.append("all scenarios done, q quits") } else if index == scenarios.count { f.append("type a question, n ends") }
    return f
  }
  var title: String { "demo" }
}

struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Live three-pane demo on shipped scenarios (the default command).")

  @Argument(help: "Scenario ids or files (default: a shipped selection).") var scenarios: [String] = []
  @Option(help: "async | think | nothink") var mode: PolicyOptions.Strategy = .async
  @Option(help: "Record to this file (one scenario) or folder.") var record: String?
  @Flag(help: "Do not record.") var noRecord = false
  @Flag(help: "No colours (also NO_COLOR).") var noColor = false
  @Flag(help: "ASCII borders and glyphs.") var ascii = false
  @OptionGroup var engine: EngineOptions

  static let defaultScenarios = ["arith-times", "interject-24", "fact-planet", "unit-hours", "correct-city"]

  /// `asyncvoice nosuchcommand` reaches here (demo is the default command): a word that is neither
  /// a file nor a shipped scenario id is answered as an unknown command.
  func validate() throws {
    for s in scenarios where !s.hasSuffix(".jsonl") && !FileManager.default.fileExists(atPath: Defaults.resolve("Transcripts/scenarios/\(s).jsonl")) {
      let commands = AsyncVoiceCommand.configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
      throw ValidationError("'\(s)' is neither a command (\(commands)) nor a scenario id (a file in Transcripts/scenarios)")
    }
    if let r = record { r.hasSuffix(".jsonl") ? checkOutputPath(r, option: "--record") : checkOutputFolder(r, option: "--record") }
  }

  func run() throws {
    let paths = (scenarios.isEmpty ? Self.defaultScenarios : scenarios).map { s -> String in
      s.hasSuffix(".jsonl") ? s : Defaults.resolve("Transcripts/scenarios/\(s).jsonl")
    }
    let list = paths.map(loadScenario)
    if let r = record, r.hasSuffix(".jsonl"), list.count > 1 {
      throw ValidationError("--record \(r) is a file, for one scenario; give a folder to record \(list.count) scenarios")
    }
    let e = engine.loadEngine()
    let dir = noRecord ? nil : (record ?? Defaults.resolve("Transcripts/recordings") + "/local")
    let driver = LiveDriver(engine: e, options: engine, scenarios: list, strategy: mode, recordDir: dir)
    if isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 {
      // Not a terminal: the same live sessions as plain timestamped lines.
      driver.interactive = false
      driver.startNext()
      var shownPath = ""
      var shownFailure = false
      while true {
        let (events, _, _) = driver.poll(wall: 0)
        if driver.recordingPath != shownPath {
          shownPath = driver.recordingPath
          print("== recording \(shownPath)")
        }
        if !shownFailure, let err = driver.recordingError {
          shownFailure = true
          print("== REC FAILED: \(err)")
        }
        for ev in events {
          if case .token(.thinker, _) = ev.event { continue }
          print(plainLine(ev))
        }
        fflush(stdout)
        if driver.finished && events.isEmpty { break }
        usleep(50_000)
      }
    } else {
      driver.startNext()
      InteractiveApp(source: driver, ascii: ascii, color: !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil).run()
    }
    if let err = driver.recordingError {
      FileHandle.standardError.write(Data("asyncvoice: \(err)\n".utf8))
      throw ExitCode(1)
    }
    if let d = dir { print("recorded to \(d) (replay with: asyncvoice replay FILE)") }
  }
}
