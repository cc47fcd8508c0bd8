/// Writes animated GIF89a images: a palette of up to 256 colours for each frame, LZW compression,
/// and a loop forever.
///
/// Each frame's colours are grouped by their top 5 bits per channel; when a frame has more than 256
/// such groups, the 256 most frequent become the palette and the rest take their nearest entry.
///
/// ```swift
/// var gif = try GIFEncoder(width: 84, height: 84, delayCentiseconds: 7)
/// try gif.addFrame(rgb: pixels)  // 84 * 84 * 3 bytes
/// let bytes = gif.finished()  // a complete .gif file
/// ```
public struct GIFEncoder: Sendable {
  /// The width of every frame in pixels.
  public let width: Int
  /// The height of every frame in pixels.
  public let height: Int
  /// How long each frame shows, in hundredths of a second.
  public let delayCentiseconds: Int
  private var bytes: [UInt8] = []
  /// The number of frames added.
  public private(set) var frameCount = 0

  /// Starts an image; width and height must be in 1...65535, the delay in 0...65535.
  public init(width: Int, height: Int, delayCentiseconds: Int) throws(EnvironmentError) {
    guard (1...65535).contains(width), (1...65535).contains(height), (0...65535).contains(delayCentiseconds)
    else {
      throw .invalidConfiguration(
        "a GIF needs width and height in 1...65535 and a delay in 0...65535, got \(width) x \(height), \(delayCentiseconds)"
      )
    }
    self.width = width
    self.height = height
    self.delayCentiseconds = delayCentiseconds
    bytes.append(contentsOf: Array("GIF89a".utf8))
    appendShort(width)
    appendShort(height)
    bytes.append(contentsOf: [0x70, 0, 0])  // no global colour table: every frame brings its own
    bytes.append(
      contentsOf: [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00])
  }

  /// Adds a frame of `width * height * 3` RGB bytes.
  public mutating func addFrame(rgb: [UInt8]) throws(EnvironmentError) {
    guard rgb.count == width * height * 3 else {
      throw .invalidConfiguration("a frame needs \(width * height * 3) bytes, got \(rgb.count)")
    }
    let (palette, indices) = Self.quantize(rgb)
    bytes.append(contentsOf: [0x21, 0xF9, 0x04, 0x04])  // graphic control: keep the frame, no transparency
    appendShort(delayCentiseconds)
    bytes.append(contentsOf: [0x00, 0x00])
    bytes.append(0x2C)
    appendShort(0)
    appendShort(0)
    appendShort(width)
    appendShort(height)
    bytes.append(0x87)  // a local colour table of 256 entries
    bytes.append(contentsOf: palette)
    bytes.append(8)  // minimum code size
    var compressed = LZWWriter()
    compressed.compress(indices)
    var start = 0
    while start < compressed.bytes.count {
      let end = min(start + 255, compressed.bytes.count)
      bytes.append(UInt8(end - start))
      bytes.append(contentsOf: compressed.bytes[start..<end])
      start = end
    }
    bytes.append(0x00)
    frameCount += 1
  }

  /// The complete file.
  public func finished() -> [UInt8] { bytes + [0x3B] }

  /// A 256-entry palette (768 bytes) and each pixel's index into it.
  static func quantize(_ rgb: [UInt8]) -> (palette: [UInt8], indices: [UInt8]) {
    let pixelCount = rgb.count / 3
    var counts = [Int32](repeating: 0, count: 1 << 15)
    var representative = [Int32](repeating: 0, count: 1 << 15)
    var keys = [Int](repeating: 0, count: pixelCount)
    for pixel in 0..<pixelCount {
      let red = Int(rgb[3 * pixel])
      let green = Int(rgb[3 * pixel + 1])
      let blue = Int(rgb[3 * pixel + 2])
      let key = (red >> 3) << 10 | (green >> 3) << 5 | blue >> 3
      keys[pixel] = key
      if counts[key] == 0 { representative[key] = Int32(red << 16 | green << 8 | blue) }
      counts[key] += 1
    }
    let used = counts.indices.filter { counts[$0] > 0 }
    let chosen =
      used.count <= 256 ? used : Array(used.sorted { (counts[$0], $1) > (counts[$1], $0) }.prefix(256))
    var palette = [UInt8](repeating: 0, count: 768)
    var slot = [UInt8](repeating: 0, count: 1 << 15)
    for (index, key) in chosen.enumerated() {
      let colour = Int(representative[key])
      palette[3 * index] = UInt8(colour >> 16)
      palette[3 * index + 1] = UInt8(colour >> 8 & 0xFF)
      palette[3 * index + 2] = UInt8(colour & 0xFF)
      slot[key] = UInt8(index)
    }
    if used.count > 256 {
      let isChosen = Set(chosen)
      for key in used where !isChosen.contains(key) {
        var best = 0
        var bestDistance = Int.max
        for index in chosen.indices {
          let dr = (key >> 10) - (chosen[index] >> 10)
          let dg = (key >> 5 & 31) - (chosen[index] >> 5 & 31)
          let db = (key & 31) - (chosen[index] & 31)
          let distance = dr * dr + dg * dg + db * db
          if distance < bestDistance {
            best = index
            bestDistance = distance
          }
        }
        slot[key] = UInt8(best)
      }
    }
    return (palette, keys.map { slot[$0] })
  }

  private mutating func appendShort(_ value: Int) {
    bytes.append(UInt8(value & 0xFF))
    bytes.append(UInt8(value >> 8))
  }
}

/// GIF's variable-length LZW for 8-bit indices: codes of 9 to 12 bits, least significant bit
/// first, a clear code whenever the table is full.
private struct LZWWriter {
  private static let clearCode = 256
  private static let endCode = 257
  private static let slots = 8192
  var bytes: [UInt8] = []
  private var bitBuffer: UInt32 = 0
  private var bitCount = 0
  private var codeSize = 9
  private var nextCode = 258
  // Open addressing: the key is prefix << 8 | byte, the value the string's code.
  private var keys = [Int32](repeating: -1, count: slots)
  private var values = [Int16](repeating: 0, count: slots)

  mutating func compress(_ indices: [UInt8]) {
    emit(Self.clearCode)
    guard var prefix = indices.first.map(Int.init) else {
      emit(Self.endCode)
      flush()
      return
    }
    for byte in indices.dropFirst() {
      let key = Int32(prefix << 8 | Int(byte))
      var slot = Int(UInt32(bitPattern: key &* -1_640_531_535)) & (Self.slots - 1)
      while keys[slot] >= 0 && keys[slot] != key { slot = (slot + 1) & (Self.slots - 1) }
      if keys[slot] == key {
        prefix = Int(values[slot])
        continue
      }
      emit(prefix)
      if nextCode >= 4095 {
        emit(Self.clearCode)
        nextCode = 258
        codeSize = 9
        for index in keys.indices { keys[index] = -1 }
      } else {
        keys[slot] = key
        values[slot] = Int16(nextCode)
        nextCode += 1
      }
      prefix = Int(byte)
    }
    emit(prefix)
    emit(Self.endCode)
    flush()
  }

  /// Writes a code at the current size; grows the size once the next code would not fit, one
  /// code late, as decoders expect.
  private mutating func emit(_ code: Int) {
    bitBuffer |= UInt32(code) << UInt32(bitCount)
    bitCount += codeSize
    while bitCount >= 8 {
      bytes.append(UInt8(bitBuffer & 0xFF))
      bitBuffer >>= 8
      bitCount -= 8
    }
    if nextCode >= 1 << codeSize && codeSize < 12 { codeSize += 1 }
  }

  private mutating func flush() {
    if bitCount > 0 { bytes.append(UInt8(bitBuffer & 0xFF)) }
    bitBuffer = 0
    bitCount = 0
  }
}
