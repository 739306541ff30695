import Foundation
import Session
import Terminal

/// Frames of a replay driven by a script instead of a clock and keys, as the interactive screen
/// would draw them (same driver, same fold, same renderer; no terminal). For tests of seeking:
/// `replay FILE --frames "+0.5*20,@3,+0.5*4,>,<,5,home,end"`.
///
/// Steps, comma-separated, each followed by one frame: `+D` plays D seconds (`+D*N`: N times),
/// `@T` seeks to T seconds, `<`/`>` are ←/→, `0`–`9` the digit keys, `home`/`end`, `k` the cache map.
public enum ReplayFrames {
  public struct ScriptError: Error, CustomStringConvertible {
    public let description: String
  }

  public static func frames(driver: ReplayDriver, script: String, width: Int, height: Int, ascii: Bool) throws -> [(String, Grid)]
  {
    let app = InteractiveApp(source: driver, ascii: ascii, color: false)
    var out: [(String, Grid)] = []
    func shot(_ label: String, wall: Double) {
      let now = app.pollAndApply(wall: wall)
      out.append(("\(label) \(driver.timeline.positionLabel)", app.frame(now: now, width: width, height: height)))
    }
    for raw in script.split(separator: ",") {
      let step = raw.trimmingCharacters(in: .whitespaces)
      if step.hasPrefix("+") {
        let parts = step.dropFirst().split(separator: "*")
        guard let d = Double(parts.first ?? ""), d >= 0, parts.count <= 2 else {
          throw ScriptError(description: "bad step \(step)")
        }
        let times = parts.count == 2 ? Int(parts[1]) ?? -1 : 1
        guard times >= 0 else { throw ScriptError(description: "bad repeat in \(step)") }
        for _ in 0..<times { shot("+\(d)", wall: d) }
        continue
      }
      if step.hasPrefix("@"), let t = Double(step.dropFirst()) {
        driver.timeline.position = max(0, t)
        _ = driver.seek(.by(0))
        shot(step, wall: 0)
        continue
      }
      // Keys go through the screen's own key handling.
      let key: Key
      switch step {
      case "<": key = .left
      case ">": key = .right
      case "home": key = .home
      case "end": key = .end
      case "k": key = .char("k")
      default:
        guard step.count == 1, let c = step.first, c.isASCII, c.isNumber else {
          throw ScriptError(description: "bad step \(step)")
        }
        key = .char(c)
      }
      _ = app.handle(key)
      shot(step, wall: 0)
    }
    return out
  }
}
