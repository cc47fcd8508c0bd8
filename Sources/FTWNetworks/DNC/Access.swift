import FTWLayers
import FTWTensor

/// The state of a DNC memory (the reference's `AccessState`).
///
/// Shapes: `memory [B, N, W]`, `readWeights [B, reads, N]`, `writeWeights [B, writes, N]`,
/// `usage [B, N]` and the ``TemporalLinkageState``.
public struct AccessState: TensorStructure, Sendable {
  public var memory: Tensor
  public var readWeights: Tensor
  public var writeWeights: Tensor
  public var linkage: TemporalLinkageState
  public var usage: Tensor

  public init(
    memory: Tensor, readWeights: Tensor, writeWeights: Tensor, linkage: TemporalLinkageState, usage: Tensor
  ) {
    self.memory = memory
    self.readWeights = readWeights
    self.writeWeights = writeWeights
    self.linkage = linkage
    self.usage = usage
  }

  public func combined(with other: AccessState, _ combine: (Tensor, Tensor) -> Tensor) -> AccessState {
    AccessState(
      memory: combine(memory, other.memory), readWeights: combine(readWeights, other.readWeights),
      writeWeights: combine(writeWeights, other.writeWeights),
      linkage: linkage.combined(with: other.linkage, combine), usage: combine(usage, other.usage))
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    [("memory", memory), ("read_weights", readWeights), ("write_weights", writeWeights)]
      + TensorStructures.named(linkage, prefix: "linkage") + [("usage", usage)]
  }
}

/// The DNC's memory with its read and write heads (the reference's `MemoryAccess`, after
/// DeepMind's DNC): content-based and usage-based (allocation) writing, content-based and
/// temporal (forward/backward link) reading.
///
/// Each step reads the interface vector from the input through ten linear layers
/// (`write_vectors`, `erase_vectors`, `free_gate`, `allocation_gate`, `write_gate`, `read_mode`,
/// `write_keys`, `write_strengths`, `read_keys`, `read_strengths`), updates usage, writes, updates the
/// links, and reads. Input `[B, inputSize]`; output the read words `[B, numReads, wordSize]`.
///
/// ```swift
/// let memory = try MemoryAccess(inputSize: 64, memorySize: 32, wordSize: 16, numReads: 2, generator: &g)
/// var state = memory.initialState(batchSize: 4)
/// let (readWords, next) = memory(controllerOutput, state)   // [4, 2, 16]
/// ```
public final class MemoryAccess: Module, RecurrentCore {
  public let inputSize: Int
  public let memorySize: Int
  public let wordSize: Int
  public let numReads: Int
  public let numWrites: Int
  let linkage: TemporalLinkage
  let freeness: Freeness
  let writeVectors: Linear
  let eraseVectors: Linear
  let freeGate: Linear
  let allocationGate: Linear
  let writeGate: Linear
  let readMode: Linear
  let writeKeys: Linear
  let writeStrengths: Linear
  let readKeys: Linear
  let readStrengths: Linear

  public init(
    inputSize: Int, memorySize: Int = 128, wordSize: Int = 20, numReads: Int = 1, numWrites: Int = 1,
    name: String = "memory_access", generator: inout RandomGenerator
  ) throws {
    for (value, argument) in [
      (inputSize, "input_size"), (memorySize, "memory_size"), (wordSize, "word_size"),
      (numReads, "num_reads"),
      (numWrites, "num_writes"),
    ] {
      try ModuleError.requirePositive(value, argument, in: "MemoryAccess")
    }
    self.inputSize = inputSize
    self.memorySize = memorySize
    self.wordSize = wordSize
    self.numReads = numReads
    self.numWrites = numWrites
    linkage = TemporalLinkage(memorySize: memorySize, numWrites: numWrites)
    freeness = Freeness(memorySize: memorySize)
    func linear(_ size: Int, _ name: String) throws -> Linear {
      try Linear(inputSize: inputSize, outputSize: size, name: name, generator: &generator)
    }
    writeVectors = try linear(numWrites * wordSize, "write_vectors")
    eraseVectors = try linear(numWrites * wordSize, "erase_vectors")
    freeGate = try linear(numReads, "free_gate")
    allocationGate = try linear(numWrites, "allocation_gate")
    writeGate = try linear(numWrites, "write_gate")
    readMode = try linear(numReads * (1 + 2 * numWrites), "read_mode")
    writeKeys = try linear(numWrites * wordSize, "write_keys")
    writeStrengths = try linear(numWrites, "write_strengths")
    readKeys = try linear(numReads * wordSize, "read_keys")
    readStrengths = try linear(numReads, "read_strengths")
    super.init(name: name)
    for (layer, key) in [
      (writeVectors, "write_vectors"), (eraseVectors, "erase_vectors"), (freeGate, "free_gate"),
      (allocationGate, "allocation_gate"), (writeGate, "write_gate"), (readMode, "read_mode"),
      (writeKeys, "write_keys"), (writeStrengths, "write_strengths"), (readKeys, "read_keys"),
      (readStrengths, "read_strengths"),
    ] {
      register(layer, as: key)
    }
  }

  /// The size of one step's flattened output, `numReads * wordSize`.
  public var outputSize: Int { numReads * wordSize }

  public func initialState(batchSize: Int) -> AccessState {
    AccessState(
      memory: Tensor(zeros: [batchSize, memorySize, wordSize]),
      readWeights: Tensor(zeros: [batchSize, numReads, memorySize]),
      writeWeights: Tensor(zeros: [batchSize, numWrites, memorySize]),
      linkage: linkage.initialState(batchSize: batchSize), usage: freeness.initialState(batchSize: batchSize))
  }

  public func callAsFunction(_ input: Tensor, _ previous: AccessState) -> (Tensor, AccessState) {
    precondition(
      input.rank == 2 && input.shape[1] == inputSize,
      "MemoryAccess expects [B, \(inputSize)], got \(input.shape)")
    func heads(_ layer: Linear, _ count: Int, _ width: Int) -> Tensor {
      layer(input).reshaped(to: [-1, count, width])
    }
    let writeVectors = heads(self.writeVectors, numWrites, wordSize)
    let eraseVectors = heads(self.eraseVectors, numWrites, wordSize).sigmoid()
    let freeGate = self.freeGate(input).sigmoid()
    let allocationGate = self.allocationGate(input).sigmoid()
    let writeGate = self.writeGate(input).sigmoid()
    let readMode = heads(self.readMode, numReads, 1 + 2 * numWrites).softmax()

    let usage = freeness(
      writeWeights: previous.writeWeights, freeGate: freeGate, readWeights: previous.readWeights,
      previousUsage: previous.usage)

    // Where to write: allocation or content, per write head, scaled by the write gate.
    let writeContent = CosineWeights.weights(
      memory: previous.memory, keys: heads(writeKeys, numWrites, wordSize), strengths: writeStrengths(input))
    let writeAllocation = freeness.writeAllocationWeights(
      usage: usage, writeGates: allocationGate * writeGate, numWrites: numWrites)
    let allocationShare = allocationGate.expandingShape(at: -1)
    let writeWeights =
      writeGate.expandingShape(at: -1)
      * (allocationShare * writeAllocation + (1 - allocationShare) * writeContent)

    // Erase, then add.
    let erasure = writeWeights.expandingShape(at: 3) * eraseVectors.expandingShape(at: 2)
    let memory =
      previous.memory * product(1 - erasure, alongAxis: 1)
      + matmul(writeWeights, writeVectors, transposeA: true)

    let linkage = self.linkage(writeWeights, previous.linkage)

    // Where to read: content, or one step along the links from the previous reads.
    let readContent = CosineWeights.weights(
      memory: memory, keys: heads(readKeys, numReads, wordSize), strengths: readStrengths(input))
    let forward = self.linkage.directionalReadWeights(
      link: linkage.link, previousReadWeights: previous.readWeights, forward: true)
    let backward = self.linkage.directionalReadWeights(
      link: linkage.link, previousReadWeights: previous.readWeights, forward: false)
    let backwardMode = readMode.slice(0..<numWrites, alongAxis: 2)
    let forwardMode = readMode.slice(numWrites..<(2 * numWrites), alongAxis: 2)
    let contentMode = readMode.slice((2 * numWrites)..<(2 * numWrites + 1), alongAxis: 2)
    let readWeights =
      contentMode * readContent + (forwardMode.expandingShape(at: 3) * forward).sum(alongAxis: 2)
      + (backwardMode.expandingShape(at: 3) * backward).sum(alongAxis: 2)

    let state = AccessState(
      memory: memory, readWeights: readWeights, writeWeights: writeWeights, linkage: linkage, usage: usage)
    return (matmul(readWeights, memory), state)
  }
}
