/// The element type of an array an environment produces.
public enum ElementType: String, Sendable, Equatable {
  case uint8
  case int32
  case float32
}

/// The shape, element type and range of an array, as `dm_env.specs.BoundedArray` describes one.
///
/// ```swift
/// let pixels = ArraySpec(name: "pixels", shape: [84, 84, 3], elementType: .uint8,
///                        minimum: 0, maximum: 255)
/// pixels.elementCount  // 21168
/// ```
public struct ArraySpec: Sendable, Equatable {
  /// The array's name.
  public var name: String
  /// Its extents, outermost first (`[]` for a scalar).
  public var shape: [Int]
  /// The type of its elements.
  public var elementType: ElementType
  /// The smallest value an element takes, when bounded.
  public var minimum: Double?
  /// The largest value an element takes, when bounded.
  public var maximum: Double?

  /// Creates a spec.
  public init(
    name: String, shape: [Int], elementType: ElementType, minimum: Double? = nil, maximum: Double? = nil
  ) {
    self.name = name
    self.shape = shape
    self.elementType = elementType
    self.minimum = minimum
    self.maximum = maximum
  }

  /// The number of elements, the product of `shape`.
  public var elementCount: Int { shape.reduce(1, *) }
}

/// The arrays in each player's observation.
public struct ObservationSpec: Sendable, Equatable {
  /// The RGB image: `[height, width, 3]` bytes in 0...255.
  public var pixels: ArraySpec
  /// The event counts: `[eventNames.count]` floats.
  public var events: ArraySpec
  /// The name of each event, in the order of `Observation.events`.
  public var eventNames: [String]

  /// Creates the spec of an observation with a `height` x `width` RGB image and the named events.
  public init(height: Int, width: Int, eventNames: [String]) {
    pixels = ArraySpec(
      name: "pixels", shape: [height, width, 3], elementType: .uint8, minimum: 0, maximum: 255)
    events = ArraySpec(name: "events", shape: [eventNames.count], elementType: .float32, minimum: 0)
    self.eventNames = eventNames
  }
}
