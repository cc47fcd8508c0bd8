import Foundation

/// One step of a game as `ftw serve` streams it to a page: a JSON ``Header`` (the clock, the score,
/// the person's state, the result once over), then the person's view and the whole arena's map
/// as RGB bytes.
///
/// Layout: the header's length (4 bytes, little-endian), the header's UTF-8 JSON, `viewSize *
/// viewSize * 3` bytes of view (none for a spectator), `mapWidth * mapHeight * 3` bytes of map.
///
/// ```swift
/// let bytes = StepFrame(header: header, view: pixels, map: map).bytes
/// let same = try StepFrame(bytes: bytes)
/// ```
public struct StepFrame: Sendable, Equatable {
  /// What a page shows beside the pictures.
  public struct Header: Codable, Sendable, Equatable {
    /// Steps played and the game's length.
    public var step: Int
    public var steps: Int
    /// Captures, blue first.
    public var scores: [Int]
    /// The side of the (square) view in pixels, 0 for a spectator.
    public var viewSize: Int
    public var mapWidth: Int
    public var mapHeight: Int
    /// The person's player index, position (tiles), heading (of 72), steps until they respawn
    /// and whether they carry the flag; absent for a spectator.
    public var player: Int?
    public var position: [Float]?
    public var heading: Int?
    public var respawnIn: Int?
    public var carriesFlag: Bool?
    /// Whether the person fired their beam this step.
    public var fired: Bool?
    /// Key messages applied so far: a page times its round trip by this.
    public var acknowledged: Int
    /// Once the game is over: `won`, `lost` or `drawn` for the person (`blue`, `red` or `drawn`
    /// for a spectator).
    public var result: String?
    /// Once the game is over: the name of its kept log, for its GIF.
    public var game: String?
  }

  public var header: Header
  public var view: [UInt8]
  public var map: [UInt8]

  /// A frame of `header` and its pictures.
  public init(header: Header, view: [UInt8], map: [UInt8]) {
    self.header = header
    self.view = view
    self.map = map
  }

  /// The bytes sent.
  public var bytes: [UInt8] {
    let json = (try? JSONEncoder().encode(header)).map(Array.init) ?? []
    let count = UInt32(json.count)
    return (0..<4).map { UInt8(truncatingIfNeeded: count >> ($0 * 8)) } + json + view + map
  }

  /// Reads the bytes of a frame; throws a ``TrainingError`` if they do not add up.
  public init(bytes: [UInt8]) throws {
    try require(bytes.count >= 4, "a frame starts with its header's length")
    let length = bytes[0..<4].reversed().reduce(0) { $0 << 8 | Int($1) }
    try require(length <= bytes.count - 4, "a frame's header is longer than the frame")
    header = try JSONDecoder().decode(Header.self, from: Data(bytes[4..<(4 + length)]))
    let viewCount = header.viewSize * header.viewSize * 3
    let mapCount = header.mapWidth * header.mapHeight * 3
    try require(
      [header.viewSize, header.mapWidth, header.mapHeight].allSatisfy { (0...4096).contains($0) }
        && bytes.count == 4 + length + viewCount + mapCount,
      "a frame of \(bytes.count) bytes does not hold its pictures")
    view = Array(bytes[(4 + length)..<(4 + length + viewCount)])
    map = Array(bytes[(4 + length + viewCount)...])
  }
}
