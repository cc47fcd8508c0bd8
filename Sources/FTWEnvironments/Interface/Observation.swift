/// One player's observation: an RGB image as bytes and the step's game events.
///
/// `pixels` holds `height * width * 3` bytes, rows top to bottom, each pixel red, green, blue
/// (the layout of `ObservationSpec.pixels`). `events` holds one count per event the environment
/// names in `ObservationSpec.eventNames` (empty when it reports none).
public struct Observation: Sendable, Equatable {
  /// `[height, width, 3]` bytes, row-major.
  public var pixels: [UInt8]
  /// `[eventCount]` counts of the events of the transition into this step.
  public var events: [Float]

  /// Creates an observation.
  public init(pixels: [UInt8], events: [Float]) {
    self.pixels = pixels
    self.events = events
  }
}
