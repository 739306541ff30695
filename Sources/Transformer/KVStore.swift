import Foundation

/// Identifies one block of the KV cache.
public struct BlockID: Hashable, Sendable, CustomStringConvertible {
  public let raw: Int
  public var description: String { "block#\(raw)" }
}

/// The KV cache as blocks (paper §3.3): each block holds K/V of every layer for a contiguous run of
/// tokens, keys rotated for block-relative positions 0..n-1. Blocks grow up to a fixed capacity,
/// can be truncated, and never move in memory, so views can order them freely.
public final class KVStore: @unchecked Sendable {
  final class Block {
    let name: String
    let capacity: Int
    var length = 0
    let k: UnsafeMutableRawPointer
    let v: UnsafeMutableRawPointer
    init(name: String, capacity: Int, values: Int, bytesPerValue: Int) {
      self.name = name
      self.capacity = capacity
      // calloc: pages of unused capacity are never touched, so they cost no memory.
      k = calloc(max(values, 1), bytesPerValue)!
      v = calloc(max(values, 1), bytesPerValue)!
    }
    deinit {
      free(k)
      free(v)
    }
  }

  public let layers: Int
  public let kvDim: Int
  /// Keys and values stored as f16 (half the memory and bandwidth) instead of f32.
  public let f16: Bool
  private var blocks: [Int: Block] = [:]
  private var nextID = 0

  public init(config: ModelConfig, f16: Bool = false) {
    layers = config.layers
    kvDim = config.kvDim
    self.f16 = f16
  }

  var bytesPerValue: Int { f16 ? 2 : 4 }

  /// A new empty block that can hold up to `capacity` tokens.
  public func makeBlock(_ name: String, capacity: Int) -> BlockID {
    precondition(capacity > 0, "block capacity must be positive")
    let id = BlockID(raw: nextID)
    nextID += 1
    blocks[id.raw] = Block(name: name, capacity: capacity, values: layers * capacity * kvDim, bytesPerValue: bytesPerValue)
    return id
  }

  public func remove(_ id: BlockID) { blocks[id.raw] = nil }
  public func name(_ id: BlockID) -> String { block(id).name }
  public func length(_ id: BlockID) -> Int { block(id).length }
  public func capacity(_ id: BlockID) -> Int { block(id).capacity }

  /// Drops tokens past `length` (e.g. answer tokens that were never heard).
  public func truncate(_ id: BlockID, to length: Int) {
    let b = block(id)
    precondition(length >= 0 && length <= b.length, "truncate \(b.name) to \(length) of \(b.length)")
    b.length = length
  }

  /// Total tokens held in all blocks.
  public var totalTokens: Int { blocks.values.reduce(0) { $0 + $1.length } }

  // Engine access.
  func block(_ id: BlockID) -> Block {
    guard let b = blocks[id.raw] else { preconditionFailure("unknown \(id)") }
    return b
  }
  /// Start of a layer's keys (f32 or f16 values, `kvDim` per token).
  func keys(_ id: BlockID, layer: Int) -> UnsafeMutableRawPointer {
    let b = block(id)
    return b.k + layer * b.capacity * kvDim * bytesPerValue
  }
  func values(_ id: BlockID, layer: Int) -> UnsafeMutableRawPointer {
    let b = block(id)
    return b.v + layer * b.capacity * kvDim * bytesPerValue
  }
  func setLength(_ id: BlockID, _ n: Int) { block(id).length = n }
}
