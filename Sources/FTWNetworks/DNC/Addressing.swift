import FTWLayers
import FTWTensor

/// The DNC's addressing mechanisms (the reference's `dnc/addressing.py`): content-based weights,
/// temporal linkage and the usage-based allocation of free slots. `N` is the number of memory
/// slots, `W` the word size.

/// Added to norms and usages so that nothing divides by zero (the reference's `_EPSILON`).
let addressingEpsilon: Float = 1e-6

/// Content-based addressing (the reference's `CosineWeights`): for each head, a softmax over slots
/// of the cosine similarity between its key and each memory word, sharpened by
/// `softplus(strength)`.
enum CosineWeights {
  /// - Parameters:
  ///   - memory: `[B, N, W]`.
  ///   - keys: `[B, H, W]`, one per head.
  ///   - strengths: `[B, H]`, before the softplus.
  /// - Returns: `[B, H, N]`.
  static func weights(memory: Tensor, keys: Tensor, strengths: Tensor) -> Tensor {
    let dot = matmul(keys, memory, transposeB: true)
    let norms = matmul(vectorNorms(keys), vectorNorms(memory), transposeB: true)
    let similarity = dot / (norms + addressingEpsilon)
    return (similarity * strengths.softplus().expandingShape(at: -1)).softmax()
  }

  /// `sqrt(sum(m²) + ε)` over the last axis, kept: `[B, X, W] -> [B, X, 1]`.
  static func vectorNorms(_ m: Tensor) -> Tensor {
    ((m * m).sum(alongAxis: 2, keepingDimensions: true) + addressingEpsilon).sqrt()
  }
}

/// The temporal link matrices and precedence weights of the DNC (the reference's
/// `TemporalLinkageState`).
public struct TemporalLinkageState: TensorStructure, Sendable {
  /// `[B, writes, N, N]`: `link[b, w, i, j]` is how much slot `i` was written right after slot `j`.
  public var link: Tensor
  /// `[B, writes, N]`: how much each slot was the last one written.
  public var precedenceWeights: Tensor

  public init(link: Tensor, precedenceWeights: Tensor) {
    self.link = link
    self.precedenceWeights = precedenceWeights
  }

  public func combined(with other: TemporalLinkageState, _ combine: (Tensor, Tensor) -> Tensor)
    -> TemporalLinkageState
  {
    TemporalLinkageState(
      link: combine(link, other.link), precedenceWeights: combine(precedenceWeights, other.precedenceWeights))
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    [("link", link), ("precedence_weights", precedenceWeights)]
  }
}

/// Temporal linkage (the reference's `TemporalLinkage`): remembers the order slots were written in,
/// so read heads can follow it forward and backward.
struct TemporalLinkage {
  let memorySize: Int
  let numWrites: Int
  /// `[N, N]`: 0 on the diagonal (a slot never links to itself), 1 elsewhere.
  let offDiagonal: Tensor

  init(memorySize: Int, numWrites: Int) {
    self.memorySize = memorySize
    self.numWrites = numWrites
    offDiagonal = Tensor(shape: [memorySize, memorySize]) { out in
      for i in 0..<memorySize { for j in 0..<memorySize { out[i * memorySize + j] = i == j ? 0 : 1 } }
    }
  }

  func initialState(batchSize: Int) -> TemporalLinkageState {
    TemporalLinkageState(
      link: Tensor(zeros: [batchSize, numWrites, memorySize, memorySize]),
      precedenceWeights: Tensor(zeros: [batchSize, numWrites, memorySize]))
  }

  /// The state after a write with `writeWeights` `[B, writes, N]`.
  func callAsFunction(_ writeWeights: Tensor, _ previous: TemporalLinkageState) -> TemporalLinkageState {
    let wI = writeWeights.expandingShape(at: 3)
    let wJ = writeWeights.expandingShape(at: 2)
    let link = (1 - wI - wJ) * previous.link + wI * previous.precedenceWeights.expandingShape(at: 2)
    let written = writeWeights.sum(alongAxis: 2, keepingDimensions: true)
    return TemporalLinkageState(
      link: link * offDiagonal, precedenceWeights: (1 - written) * previous.precedenceWeights + writeWeights)
  }

  /// The read weights one step forward (or backward) along the links from `previousReadWeights`
  /// `[B, reads, N]`: `[B, reads, writes, N]`.
  func directionalReadWeights(link: Tensor, previousReadWeights: Tensor, forward: Bool) -> Tensor {
    let shape = previousReadWeights.shape
    let expanded = previousReadWeights.expandingShape(at: 1).broadcasted(to: [
      shape[0], numWrites, shape[1], shape[2],
    ])
    return matmul(expanded, link, transposeB: forward).transposed(permutation: [0, 2, 1, 3])
  }
}

/// Memory usage and the allocation of free slots (the reference's `Freeness`).
struct Freeness {
  let memorySize: Int

  func initialState(batchSize: Int) -> Tensor { Tensor(zeros: [batchSize, memorySize]) }

  /// Usage `[B, N]` after the previous step's writes and this step's frees.
  func callAsFunction(writeWeights: Tensor, freeGate: Tensor, readWeights: Tensor, previousUsage: Tensor)
    -> Tensor
  {
    let written = 1 - product(1 - writeWeights.stoppingGradient(), alongAxis: 1)
    let usage = previousUsage + (1 - previousUsage) * written
    let retained = product(1 - freeGate.expandingShape(at: -1) * readWeights, alongAxis: 1)
    return usage * retained
  }

  /// Allocation weights `[B, writes, N]`, one write head after another, each seeing the usage the
  /// previous heads' allocations will cause. `writeGates` is `[B, writes]`.
  func writeAllocationWeights(usage: Tensor, writeGates: Tensor, numWrites: Int) -> Tensor {
    var usage = usage
    var weights: [Tensor] = []
    for head in 0..<numWrites {
      let allocation = self.allocation(usage)
      weights.append(allocation)
      usage = usage + (1 - usage) * writeGates.slice(head..<(head + 1), alongAxis: 1) * allocation
    }
    return stack(weights, alongAxis: 1)
  }

  /// Allocation `[B, N]` for usage `[B, N]`: slots sorted by usage (ties: lower index first); each
  /// gets its freeness times the usage of all slots before it.
  func allocation(_ usage: Tensor) -> Tensor {
    let nonUsage = 1 - (addressingEpsilon + (1 - addressingEpsilon) * usage)
    let order = nonUsage.argsort(alongAxis: 1, descending: true)
    let sortedNonUsage = nonUsage.taking(alongAxis: 1, indices: order)
    let sortedAllocation =
      sortedNonUsage * (1 - sortedNonUsage).cumulativeProduct(alongAxis: 1, exclusive: true)
    return sortedAllocation.taking(alongAxis: 1, indices: Self.inversePermutations(order))
  }

  /// Row by row, the permutation that undoes each row of `permutations` `[B, N]`.
  static func inversePermutations(_ permutations: IndexTensor) -> IndexTensor {
    let n = permutations.shape[1]
    var inverse = [Int32](repeating: 0, count: permutations.scalars.count)
    for row in 0..<permutations.shape[0] {
      for (position, slot) in permutations.scalars[(row * n)..<((row + 1) * n)].enumerated() {
        inverse[row * n + Int(slot)] = Int32(position)
      }
    }
    return IndexTensor(shape: permutations.shape, scalars: inverse)
  }
}

/// The product over `axis`, with an exact gradient (through the running product).
func product(_ x: Tensor, alongAxis axis: Int) -> Tensor {
  x.cumulativeProduct(alongAxis: axis).element(x.shape[axis] - 1, alongAxis: axis)
}
