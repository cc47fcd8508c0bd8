/// One record of a TensorBoard event file: scalars logged at one step, encoded as the `Event`
/// protocol buffer (`wall_time` 1, `step` 2, `file_version` 3, `summary` 5 with `Summary.Value`s
/// of `tag` 1 and `simple_value` 2) that TensorBoard's readers decode.
///
/// ```swift
/// let event = TensorBoardEvent(step: 20_000, wallTime: 1.8e9, scalars: [("win_rate", 0.25)])
/// let record = event.record  // length, checksums and the encoded event, ready to append
/// ```
public struct TensorBoardEvent: Sendable, Equatable {
  /// The x of the scalars (the run's frames).
  public var step: Int
  /// Seconds since 1970 when the values were logged.
  public var wallTime: Double
  /// Each value's tag and value.
  public var scalars: [Scalar]

  /// A tagged value.
  public struct Scalar: Sendable, Equatable {
    public var tag: String
    public var value: Float

    public init(_ tag: String, _ value: Float) {
      self.tag = tag
      self.value = value
    }
  }

  /// Creates an event of `scalars` at `step`.
  public init(step: Int, wallTime: Double, scalars: [Scalar]) {
    self.step = step
    self.wallTime = wallTime
    self.scalars = scalars
  }

  /// The first record of every event file: the format's version, `brain.Event:2`.
  public static func fileVersion(wallTime: Double) -> [UInt8] {
    var event = ProtoWriter()
    event.double(field: 1, wallTime)
    event.bytes(field: 3, Array("brain.Event:2".utf8))
    return framed(event.bytes)
  }

  /// The encoded `Event` message.
  public var message: [UInt8] {
    var summary = ProtoWriter()
    for scalar in scalars {
      var value = ProtoWriter()
      value.bytes(field: 1, Array(scalar.tag.utf8))
      value.float(field: 2, scalar.value)
      summary.bytes(field: 1, value.bytes)
    }
    var event = ProtoWriter()
    event.double(field: 1, wallTime)
    event.varint(field: 2, UInt64(bitPattern: Int64(step)))
    event.bytes(field: 5, summary.bytes)
    return event.bytes
  }

  /// The event as a TFRecord: its length (8 bytes, little-endian), the length's masked CRC-32C,
  /// the message, and the message's masked CRC-32C.
  public var record: [UInt8] { Self.framed(message) }

  private static func framed(_ payload: [UInt8]) -> [UInt8] {
    let length = littleEndian(UInt64(payload.count))
    return length + littleEndian(CRC32C.masked(length)) + payload + littleEndian(CRC32C.masked(payload))
  }
}

/// The little-endian bytes of `value`.
private func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
  (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

/// Appends protocol-buffer fields (wire types 0, 1, 2 and 5) to a byte array.
private struct ProtoWriter {
  var bytes: [UInt8] = []

  mutating func key(_ field: Int, wireType: UInt64) { append(varint: UInt64(field) << 3 | wireType) }

  mutating func append(varint value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }

  mutating func varint(field: Int, _ value: UInt64) {
    key(field, wireType: 0)
    append(varint: value)
  }

  mutating func double(field: Int, _ value: Double) {
    key(field, wireType: 1)
    bytes += littleEndian(value.bitPattern)
  }

  mutating func bytes(field: Int, _ value: [UInt8]) {
    key(field, wireType: 2)
    append(varint: UInt64(value.count))
    bytes += value
  }

  mutating func float(field: Int, _ value: Float) {
    key(field, wireType: 5)
    bytes += littleEndian(value.bitPattern)
  }
}
