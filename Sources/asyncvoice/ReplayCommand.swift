import App
import ArgumentParser
import Foundation
import Reasoning
import Session

struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Replay a recorded session at real-time speed (no model needed).")

  @Argument(help: "Recording (.jsonl); default: the first shipped recording.") var file: String?
  @Option(help: "Playback speed (2 = twice as fast).") var speed: Double = 1
  @Option(help: "Cap idle gaps at this many seconds.") var maxGap: Double = 3
  @Flag(help: "Print plain timestamped event lines instead of the screen.") var headless = false
  @Flag(help: "With --headless: print the cache map at each mode switch, truncation and turn, and at the end.")
  var cacheMap = false
  @Flag(help: "No colours (also NO_COLOR).") var noColor = false
  @Flag(help: "ASCII borders and glyphs.") var ascii = false
  @Flag(help: "Do not take mouse events (the wheel then does not scroll; the terminal's own selection works).")
  var noMouse = false
  @Option(help: .hidden) var frames: String?
  @Option(help: .hidden) var frameSize = "120x32"

  func validate() throws {
    try OptionRanges.check("--speed", speed)
    try OptionRanges.check("--max-gap", maxGap)
  }

  func run() throws {
    let path = file ?? Defaults.firstRecording()
    guard let path else { fail("no recording given and none shipped under Transcripts/recordings") }
    let t: Transcript
    do { t = try Transcript.load(path: path, lenient: true) } catch { fail("\(error)") }
    for w in t.warnings { FileHandle.standardError.write("asyncvoice: warning: \(w)\n".data(using: .utf8)!) }
    if let script = frames {
      let p = frameSize.split(separator: "x").compactMap { Int($0) }
      guard p.count == 2 else { fail("--frame-size must be WIDTHxHEIGHT, got \(frameSize)") }
      let name = URL(fileURLWithPath: path).lastPathComponent
      let driver = ReplayDriver(events: t.events, speed: speed, maxGap: maxGap, name: name)
      do {
        for (label, g) in try ReplayFrames.frames(driver: driver, script: script, width: p[0], height: p[1], ascii: ascii) {
          print("@@ \(label)\n\(g.text)")
        }
      } catch { fail("\(error)") }
      return
    }
    if headless || isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 {
      var timeline = ReplayTimeline(events: t.events, maxGap: maxGap)
      timeline.speed = speed
      let mapPrinter = cacheMap ? CacheMapPrinter() : nil
      if cacheMap && !t.events.contains(where: { if case .layout = $0.event { true } else { false } }) {
        FileHandle.standardError.write(
          Data("asyncvoice: warning: no layout events in \(path) (format before 1.2): no cache map\n".utf8))
      }
      for (i, e) in t.events.enumerated() {
        let wait = (timeline.times[i] - timeline.position) / speed
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        timeline.position = timeline.times[i]
        let ev = timeline.retimed(e, index: i)
        let map = mapPrinter?.feed(ev)
        if case .layout = ev.event {
          if let map { print(map) }
        } else {
          print(plainLine(ev))
        }
        fflush(stdout)
      }
      if let text = mapPrinter?.finish(now: timeline.position) { print(text) }
      return
    }
    let driver = ReplayDriver(events: t.events, speed: speed, maxGap: maxGap, name: URL(fileURLWithPath: path).lastPathComponent)
    InteractiveApp(
      source: driver, ascii: ascii, color: !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil, mouse: !noMouse
    ).run()
  }
}

extension Defaults {
  static func firstRecording() -> String? {
    let dir = resolve("Transcripts/recordings")
    let files = scenarioFiles(in: dir)
    return files.first.map { dir + "/" + $0 }
  }
}
