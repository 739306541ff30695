import Foundation
import Reasoning

/// Plain, timestamped line for an event (`run`, `replay --headless`).
public func plainLine(_ e: TimedEvent) -> String {
  let t = String(format: "%7.2f", e.t)
  switch e.event {
  case .heard(let w): return "\(t) [heard] \(w)"
  case .endOfUtterance: return "\(t) [heard] ⏎ (end of utterance)"
  case .interjection(let s): return "\(t) [interject] \(s)"
  case .token(let k, let s): return "\(t) [\(k == .thinker ? "think" : "write")] \(s.debugDescription)"
  case .mode(let m, let why): return "\(t) [mode] \(m.rawValue) (\(why))"
  case .probe(let y, let n, let yes): return String(format: "%@ [probe] P(yes)=%.3f P(no)=%.3f → %@", t, y, n, yes ? "yes" : "no")
  case .truncated(let k, let n): return "\(t) [cut] \(k.rawValue): \(n) unheard tokens dropped"
  case .spoken(let s, let start, let duration):
    return String(format: "%@ [say %.2f–%.2f s] %@", t, start, start + duration, s.trimmingCharacters(in: .newlines))
  case .finished(let why): return "\(t) [done] \(why)"
  case .turn(let i, let dropped):
    return "\(t) [turn] \(i + 1)" + (dropped > 0 ? " (\(dropped) oldest dropped: history limit)" : "")
  case .notice(let s): return "\(t) [note] \(s)"
  case .layout(let m):
    let views = m.views.map { "\($0.name) \($0.length)" }.joined(separator: ", ")
    return "\(t) [layout] \(views) tokens; writing \(m.writing.isEmpty ? "nothing" : m.writing.joined(separator: ", "))"
  case .held(let v, let n):
    return v.isEmpty
      ? "\(t) [hold] writer: the answer would end before the thoughts do"
      : "\(t) [hold] writer: \(n) unspoken tokens taken back (\(v) is not in the thoughts yet)"
  }
}
