import Dispatch
import Foundation

/// The per-case time limit of the in-process fuzzers: a case that runs longer than `limit`
/// seconds is a hang. A timer on its own queue then saves the case's input to a file, names the
/// fuzzer, seed and case on stderr, and ends the process with status 1 — a reader stuck in a loop
/// cannot be stopped from inside the process, so the test run fails with that message.
public final class FuzzWatchdog: @unchecked Sendable {
  public let name: String
  public let seed: UInt64
  public let limit: Double
  /// Guards the current case (the fuzz loop writes it, the timer reads it).
  private let lock = NSLock()
  private var index = -1
  private var input: [UInt8] = []
  private var startedAt: UInt64 = 0
  /// Made and resumed by `start` (libdispatch traps on releasing a source never resumed).
  private var timer: DispatchSourceTimer?

  /// `FUZZ_CASE_SECONDS`, or 10 s: a case takes milliseconds, so this is far above a slow,
  /// loaded machine's time and far below a hang's.
  public static var defaultLimit: Double {
    Double(ProcessInfo.processInfo.environment["FUZZ_CASE_SECONDS"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 10
  }

  public init(name: String, seed: UInt64, limit: Double = FuzzWatchdog.defaultLimit) {
    self.name = name
    self.seed = seed
    self.limit = limit
  }

  deinit { stop() }

  /// Starts checking (every quarter of the limit).
  public func start() {
    guard timer == nil else { return }
    let every = max(0.01, limit / 4)
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "fuzz.watchdog"))
    self.timer = timer
    timer.schedule(deadline: .now() + every, repeating: every)
    timer.setEventHandler { [weak self] in
      guard let report = self?.overdue(now: DispatchTime.now().uptimeNanoseconds) else { return }
      FileHandle.standardError.write(Data((report + "\n").utf8))
      _exit(1)  // not exit(): the hung thread may hold a lock that exit's handlers need
    }
    timer.resume()
  }

  public func stop() {
    timer?.cancel()
  }

  /// Case `index` (0-based) starts now, on `input` (kept to be saved if it hangs).
  public func begin(_ index: Int, input: [UInt8]) {
    lock.lock()
    self.index = index
    self.input = input
    startedAt = DispatchTime.now().uptimeNanoseconds
    lock.unlock()
  }

  /// The current case ended in time.
  public func end() {
    lock.lock()
    index = -1
    input = []
    lock.unlock()
  }

  /// If the current case has run past the limit at `now` (uptime nanoseconds): its input saved to
  /// a file, and the report naming the fuzzer, seed, case and file. Nil while every case is in time.
  public func overdue(now: UInt64) -> String? {
    lock.lock()
    defer { lock.unlock() }
    guard index >= 0, now > startedAt else { return nil }
    let seconds = Double(now - startedAt) / 1e9
    guard seconds > limit else { return nil }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(name)-seed\(seed)-case\(index).bin").path
    let saved = FileManager.default.createFile(atPath: file, contents: Data(input)) ? "input saved to \(file)" : "input not saved"
    let ran = String(format: "%.3g s (limit %.3g s)", seconds, limit)
    return "fuzz: HANG in \(name): seed \(seed), case \(index) ran \(ran); \(saved); "
      + "FUZZ_SEED=\(seed) FUZZ_CASES=\(index + 1) runs up to it"

  }
}
