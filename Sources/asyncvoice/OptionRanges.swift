import ArgumentParser
import Foundation
import Session
import Terminal

/// The allowed values of every numeric option, in one table: `validate()` checks them and a
/// value that does not even parse (`nan` for a count, `-1` read as a flag) is answered with the
/// same range (`main.swift`). Options of the same name mean the same thing in every command.
enum OptionRanges {
  enum Allowed {
    case whole(ClosedRange<Int>)
    /// A real number in `range`; `aboveLow`: the low end itself is not allowed.
    case real(ClosedRange<Double>, aboveLow: Bool)
    case text(String)

    var description: String {
      switch self {
      case .whole(let r): return "a whole number from \(r.lowerBound) to \(r.upperBound)"
      case .real(let r, let above):
        return above
          ? "a number above \(Self.format(r.lowerBound)) and at most \(Self.format(r.upperBound))"
          : "a number from \(Self.format(r.lowerBound)) to \(Self.format(r.upperBound))"
      case .text(let s): return s
      }
    }

    static func format(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
  }

  /// The largest cast width or height (cells).
  static let maxCastSide = 1000
  /// The longest prefill `bench` times, and the longest part of a batch it times.
  static let maxPrefill = 4096, maxBatchPart = 512

  static let table: [String: Allowed] = [
    "--threads": .whole(1...64),
    "--seed": .text("a whole number from 0 to \(UInt64.max)"),
    "--temperature": .real(0...100, aboveLow: false),
    "--thought-budget": .whole(0...100_000),
    "--speak-after": .whole(0...100_000),
    "--speak-after-lines": .whole(0...10_000),
    "--sentence-wait": .whole(0...100_000),
    "--writer-lead": .real(0...3600, aboveLow: false),
    "--repeat": .whole(1...1000),
    "--blas-min-rows": .whole(1...1_000_000),
    "--answer-budget": .whole(1...100_000),
    "--probe-interval": .whole(1...100_000),
    "--probe-at-end": .whole(0...100_000),
    "--probe-at-lines": .whole(0...100_000),
    "--split-stale": .whole(0...100_000),
    "--wpm": .real(1...1_000_000, aboveLow: false),
    "--max-tokens": .whole(1...1_000_000),
    "--top-k": .whole(0...1_000_000),
    "--top-p": .real(0...1, aboveLow: true),
    "--min-p": .real(0...1, aboveLow: false),
    "--repeat-penalty": .real(0...100, aboveLow: true),
    "--top-logits": .whole(0...1000),
    "--steps": .whole(1...100_000),
    "--repetitions": .whole(1...1000),
    "--context": .whole(1...100_000),
    "--frames": .whole(1...10_000_000),
    "--limit": .whole(1...1_000_000),
    "--fps": .real(0...1000, aboveLow: true),
    "--speed": .real(0.01...1000, aboveLow: false),
    "--max-gap": .real(0...86400, aboveLow: true),
    "--cast-version": .whole(2...3),
    "--clock-costs": .text("STEP_S,EXTRA_ROW_FACTOR,PREFILL_S_PER_TOKEN, the step above 0, each at most 60, or 'default'"),
    "--prefill-sizes": .text("token counts from 1 to \(maxPrefill), comma-separated (16,32,64)"),
    "--prefill-batches": .text("batches of token counts from 1 to \(maxBatchPart) joined by +, comma-separated (2+2,22+4+5)"),
    "--size": .text("WIDTHxHEIGHT from \(Layout.minWidth)x\(Layout.minHeight) to \(maxCastSide)x\(maxCastSide)"),
  ]

  /// Throws a `ValidationError` naming `name`, its allowed range and the value given.
  static func check(_ name: String, _ value: Int?) throws {
    guard let value else { return }
    guard case .whole(let r) = table[name]! else { preconditionFailure("\(name) is not a whole-number option") }
    if !r.contains(value) { throw ValidationError("\(name) must be \(table[name]!.description), got \(value)") }
  }

  static func check(_ name: String, _ value: Double) throws {
    guard case .real(let r, let above) = table[name]! else { preconditionFailure("\(name) is not a real-valued option") }
    if !(value.isFinite && r.contains(value) && !(above && value == r.lowerBound)) {
      throw ValidationError("\(name) must be \(table[name]!.description), got \(value)")
    }
  }

  static func check(_ name: String, _ value: Float) throws { try check(name, Double(value)) }

  /// `--clock-costs` parses (`ClockCosts.parse`), else a `ValidationError` with the parser's reason.
  static func checkClockCosts(_ value: String?) throws {
    guard let value else { return }
    do { _ = try ClockCosts.parse(value) } catch { throw ValidationError("--clock-costs: \(error)") }
  }

  /// A usage error as one line: ArgumentParser's first line, with the allowed range of the option
  /// it names when the message does not give one.
  static func oneLine(_ message: String) -> String {
    let first = message.split(separator: "\n").first.map(String.init) ?? message
    guard !first.contains(" must be "),
      let r = first.range(of: "--[a-z0-9-]+", options: .regularExpression), let allowed = table[String(first[r])]
    else { return first }
    return "\(first) (\(first[r]): \(allowed.description))"
  }
}
