import Foundation
import Reasoning
import Session

/// Says a live session's answer (`--voice`): takes the session's events as they are emitted,
/// and a timer every 10 ms says each chunk when the session clock reaches its start
/// (`VoiceQueue` decides; a `VoicePlayer` speaks). An interjection stops the voice at once.
///
/// Threads: `begin`, `handle` and `end` from the engine's queue, `tick` from the timer's (or a
/// test's); everything, the player's calls included, under `lock` (the player never calls back).
public final class Voice: @unchecked Sendable {
  public let player: VoicePlayer
  private var queue = VoiceQueue()
  private var clock: SessionClock?
  private let lock = NSLock()
  private var timer: DispatchSourceTimer?
  private var closed = false

  public init(player: VoicePlayer) { self.player = player }

  /// A scenario starts on `clock`: what an earlier one left is dropped.
  public func begin(clock: SessionClock) {
    lock.lock()
    defer { lock.unlock() }
    guard !closed else { return }
    self.clock = clock
    queue = VoiceQueue()
  }

  /// One session event (a `spoken` chunk is queued, and said if it starts now; an interjection
  /// stops the voice now).
  public func handle(_ e: TimedEvent) {
    lock.lock()
    defer { lock.unlock() }
    perform(queue.apply(e))
    if case .spoken = e.event, let c = clock { perform(queue.due(at: c.now)) }
  }

  /// Says the chunks whose start has come.
  public func tick() {
    lock.lock()
    defer { lock.unlock() }
    if let c = clock { perform(queue.due(at: c.now)) }
  }

  /// The scenario is over (or the program quits): the voice stops, nothing more is said.
  public func end() {
    lock.lock()
    defer { lock.unlock() }
    clock = nil
    queue = VoiceQueue()
    player.stop()
  }

  /// Under `lock`: the player hears the actions in the order the queue gave them.
  private func perform(_ actions: [VoiceQueue.Action]) {
    for a in actions {
      switch a {
      case .say(let text, _): player.say(text)
      case .stop: player.stop()
      }
    }
  }

  /// The program quits: the voice stops for good (a scenario still running says nothing more).
  public func close() {
    stopTimer()
    lock.lock()
    defer { lock.unlock() }
    closed = true
    clock = nil
    player.stop()
  }

  /// Ticks every 10 ms on a queue of its own until `stopTimer`.
  public func startTimer() {
    let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "asyncvoice.voice"))
    t.schedule(deadline: .now(), repeating: .milliseconds(10), leeway: .milliseconds(2))
    t.setEventHandler { [weak self] in self?.tick() }
    t.resume()
    lock.lock()
    timer = t
    lock.unlock()
  }

  public func stopTimer() {
    lock.lock()
    let t = timer
    timer = nil
    lock.unlock()
    t?.cancel()
  }
}
