import Foundation

/// One shard of the scenario library, for running `asyncvoice eval` as an array job (Slurm,
/// Kubernetes Jobs, GNU parallel): `--shard K/N` runs scenario i (0-based, in file-name order after
/// `--tags` and `--limit`) when i mod N == K, for K in 0..<N. `asyncvoice eval-merge` joins
/// the shards' `--json` files.
public struct EvaluationShard: Equatable, Sendable {
  public var index: Int
  public var count: Int

  public static let all = EvaluationShard(index: 0, count: 1)

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Parses "K/N"; throws a message naming what is wrong.
  public init(parsing s: String) throws {
    let parts = s.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
      throw TranscriptError.reason("--shard expects K/N (e.g. 0/4), got '\(s)'")
    }
    guard n >= 1, k >= 0, k < n else { throw TranscriptError.reason("--shard K/N needs 0 ≤ K < N, got \(k)/\(n)") }
    self.init(index: k, count: n)
  }

  public func contains(_ i: Int) -> Bool { i % count == index }

  /// The elements of this shard, in order.
  public func select<T>(_ xs: [T]) -> [T] { xs.enumerated().filter { contains($0.offset) }.map(\.element) }
}
