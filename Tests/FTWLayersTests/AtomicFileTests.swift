import FTWLayers
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct AtomicFileTests {
  @Test func atomicWriteReplacesWholeFiles() throws {
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("data.bin")
      try AtomicFile.write(Data([1, 2, 3]), to: url)
      try AtomicFile.write(Data([4, 5]), to: url)
      #expect(try Data(contentsOf: url) == Data([4, 5]))
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["data.bin"])
      let error = #expect(throws: AtomicFileError.self) {
        try AtomicFile.write(Data([1]), to: URL(fileURLWithPath: "/nonexistent-folder/x"))
      }
      #expect(error?.file == "/nonexistent-folder/x")
      #expect(throws: SafetensorsError.self) {
        try SafetensorsFile().write(to: URL(fileURLWithPath: "/nonexistent-folder/x"))
      }
    }
  }
}
