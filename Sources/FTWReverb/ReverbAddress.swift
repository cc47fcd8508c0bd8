/// The address of a Reverb server, `HOST:PORT`.
///
/// ```swift
/// let address = try ReverbAddress("localhost:8000")   // host "localhost", port 8000
/// ```
public struct ReverbAddress: Equatable, Sendable, CustomStringConvertible {
  /// Why an address could not be read.
  public struct FormatError: Error, CustomStringConvertible, Equatable {
    public let description: String
  }

  public let host: String
  public let port: Int

  /// Reads `HOST:PORT` (an IPv6 host in brackets, `[::1]:8000`); the port must be in 1...65535.
  public init(_ text: String) throws {
    guard let colon = text.lastIndex(of: ":"), colon != text.startIndex else {
      throw FormatError(description: "'\(text)' is not HOST:PORT (for example localhost:8000)")
    }
    var host = String(text[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port), !host.isEmpty
    else {
      throw FormatError(description: "'\(text)' is not HOST:PORT with a port in 1...65535")
    }
    self.host = host
    self.port = port
  }

  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
