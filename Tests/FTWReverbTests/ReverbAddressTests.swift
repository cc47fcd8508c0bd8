import FTWReverb
import Testing

@Suite struct ReverbAddressTests {
  @Test func readsHostAndPort() throws {
    #expect(try ReverbAddress("localhost:8000") == ReverbAddress("localhost:8000"))
    let address = try ReverbAddress("10.0.0.2:65535")
    #expect(address.host == "10.0.0.2" && address.port == 65_535)
    let v6 = try ReverbAddress("[::1]:9000")
    #expect(v6.host == "::1" && v6.port == 9000 && v6.description == "[::1]:9000")
    for bad in ["localhost", ":8000", "localhost:0", "localhost:70000", "localhost:http", ""] {
      #expect(throws: ReverbAddress.FormatError.self) { try ReverbAddress(bad) }
    }
  }
}
