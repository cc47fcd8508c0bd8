/// Writes animated GIF89a images: a fixed 216-colour palette (6 levels per channel), LZW
/// compression, and a loop forever.
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

  /// The palette index of each channel value: the nearest of 6 evenly spaced levels.
  private static let level: [UInt8] = (0..<256).map { UInt8(($0 * 5 + 127) / 255) }

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
    bytes.append(contentsOf: [0xF7, 0, 0])  // a global table of 256 colours, 8 bits a channel
    for index in 0..<256 {
      let (red, green, blue) = index < 216 ? (index / 36, index / 6 % 6, index % 6) : (0, 0, 0)
      bytes.append(contentsOf: [UInt8(red * 51), UInt8(green * 51), UInt8(blue * 51)])
    }
    bytes.append(
      contentsOf: [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00])
  }

  /// Adds a frame of `width * height * 3` RGB bytes, each colour rounded to the palette.
  public mutating func addFrame(rgb: [UInt8]) throws(EnvironmentError) {
    guard rgb.count == width * height * 3 else {
      throw .invalidConfiguration("a frame needs \(width * height * 3) bytes, got \(rgb.count)")
    }
    bytes.append(contentsOf: [0x21, 0xF9, 0x04, 0x04])  // graphic control: keep the frame, no transparency
    appendShort(delayCentiseconds)
    bytes.append(contentsOf: [0x00, 0x00])
    bytes.append(0x2C)
    appendShort(0)
    appendShort(0)
    appendShort(width)
    appendShort(height)
    bytes.append(0x00)
    var indices = [UInt8](repeating: 0, count: width * height)
    for pixel in indices.indices {
      let red = Self.level[Int(rgb[3 * pixel])]
      let green = Self.level[Int(rgb[3 * pixel + 1])]
      let blue = Self.level[Int(rgb[3 * pixel + 2])]
      indices[pixel] = red * 36 + green * 6 + blue
    }
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
