import App
import ArgumentParser
import Foundation
import Reasoning
import Session
import Transformer

struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Live three-pane demo on shipped scenarios (the default command).")

  @Argument(help: "Scenario ids or files (default: a shipped selection).") var scenarios: [String] = []
  @Option(help: "async | think | nothink") var mode: PolicyOptions.Strategy = .async
  @Option(help: "Record to this file (one scenario) or folder.") var record: String?
  @Flag(help: "Do not record.") var noRecord = false
  @Flag(help: "No colours (also NO_COLOR).") var noColor = false
  @Flag(help: "ASCII borders and glyphs.") var ascii = false
  @Flag(help: "Do not take mouse events (the wheel then does not scroll; the terminal's own selection works).")
  var noMouse = false
  @Flag(help: "Say the answer aloud (espeak-ng, default audio device) as the speech clock says each chunk.") var voice = false
  @OptionGroup var engine: EngineOptions

  static let defaultScenarios = ["wp-003", "interject-unit", "fact-planet", "unit-hours", "correct-city"]

  /// `asyncvoice nosuchcommand` reaches here (demo is the default command): a word that is neither
  /// a file nor a shipped scenario id is answered as an unknown command.
  func validate() throws {
    for s in scenarios
    where !s.hasSuffix(".jsonl") && !FileManager.default.fileExists(atPath: Defaults.resolve("Transcripts/scenarios/\(s).jsonl"))
    {
      let commands = AsyncVoiceCommand.configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
      throw ValidationError("'\(s)' is neither a command (\(commands)) nor a scenario id (a file in Transcripts/scenarios)")
    }
    if let r = record {
      r.hasSuffix(".jsonl") ? checkOutputPath(r, option: "--record") : checkOutputFolder(r, option: "--record")
    }
  }

  func run() throws {
    let paths = (scenarios.isEmpty ? Self.defaultScenarios : scenarios).map { s -> String in
      s.hasSuffix(".jsonl") ? s : Defaults.resolve("Transcripts/scenarios/\(s).jsonl")
    }
    let list = paths.map(loadScenario)
    if let r = record, r.hasSuffix(".jsonl"), list.count > 1 {
      throw ValidationError("--record \(r) is a file, for one scenario; give a folder to record \(list.count) scenarios")
    }
    let durations = engine.speechDurations()
    let e = engine.loadEngine()
    let dir = noRecord ? nil : (record ?? Defaults.resolve("Transcripts/recordings") + "/local")
    let options = engine
    let driver = LiveDriver(
      scenarios: list, strategy: mode, recordDir: dir, makeSession: { options.session(e, mode, clock: $0, durations: durations) },
      header: { options.header(e, strategy: mode, scenario: $0) })
    if voice {
      driver.voice = makeVoice(wordsPerMinute: engine.wpm)
      driver.voice?.startTimer()
      if driver.voice == nil { driver.statusNote = "no voice" }
    }
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
      InteractiveApp(
        source: driver, ascii: ascii, color: !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil, mouse: !noMouse
      ).run()
    }
    driver.voice?.close()
    engine.reportDurationFailures(durations)
    if let err = driver.recordingError {
      FileHandle.standardError.write(Data("asyncvoice: \(err)\n".utf8))
      throw ExitCode(1)
    }
    if let d = dir { print("recorded to \(d) (replay with: asyncvoice replay FILE)") }
  }
}
