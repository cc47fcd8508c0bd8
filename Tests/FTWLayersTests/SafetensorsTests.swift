import FTWLayers
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

/// Safetensors bytes with a hand-written header and data.
func handMade(_ header: String, _ data: [UInt8]) -> Data {
  var bytes = [UInt8]()
  var length = UInt64(header.utf8.count)
  for _ in 0..<8 {
    bytes.append(UInt8(length & 0xFF))
    length >>= 8
  }
  return Data(bytes + Array(header.utf8) + data)
}

@Suite struct SafetensorsTests {
  @Test func roundTrip() throws {
    var file = SafetensorsFile()
    file.metadata = ["module": "Linear"]
    file.set("a/b", Tensor(shape: [2, 3], scalars: [1, -2, 3.5, .infinity, 0, -0]))
    file.set("actions", IndexTensor(shape: [2], scalars: [7, -1]))
    file.set("scalar", Tensor(4))
    file.set("empty", Tensor(zeros: [0, 3]))
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("t.safetensors")
      try file.write(to: url)
      let read = try SafetensorsFile(contentsOf: url)
      #expect(read.metadata == ["module": "Linear"])
      #expect(read.keys == ["a/b", "actions", "empty", "scalar"])
      #expect(try read.tensor("a/b").isIdentical(to: file.tensor("a/b")))
      #expect(try read.indices("actions") == IndexTensor(shape: [2], scalars: [7, -1]))
      #expect(try read.tensor("scalar").shape == [])
      #expect(try read.tensor("empty").shape == [0, 3])
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["t.safetensors"])
    }
  }

  @Test func otherFloatTypesReadAsFloat() throws {
    // F16 1.0, -2.5, 2^-24 (smallest subnormal); BF16 1.0, -3.0; F64 0.1.
    let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xC1, 0x01, 0x00]
    let bf16: [UInt8] = [0x80, 0x3F, 0x40, 0xC0]
    var f64 = [UInt8]()
    withUnsafeBytes(of: (0.1 as Double).bitPattern.littleEndian) { f64 += $0 }
    let header =
      #"{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[6,10]},"d":{"dtype":"F64","shape":[],"data_offsets":[10,18]}}"#
    let file = try SafetensorsFile(data: handMade(header, f16 + bf16 + f64), name: "mixed")
    #expect(try file.tensor("h").scalars == [1, -2.5, 0x1p-24])
    #expect(try file.tensor("b").scalars == [1, -3])
    #expect(try file.tensor("d").scalar == Float(0.1))
  }

  @Test func errorsNameTheFileAndTheKey() throws {
    var file = SafetensorsFile(name: "weights.safetensors")
    file.set("w", Tensor(zeros: [2, 2]))
    file.set("i", IndexTensor([1]))
    #expect(throws: SafetensorsError.missingKey(file: "weights.safetensors", key: "b")) {
      try file.tensor("b")
    }
    #expect(
      throws: SafetensorsError.shapeMismatch(
        file: "weights.safetensors", key: "w", expected: [3], found: [2, 2])
    ) {
      try file.tensor("w", shape: [3])
    }
    #expect(
      throws: SafetensorsError.wrongKind(
        file: "weights.safetensors", key: "i", expected: "a float tensor", found: "I32")
    ) {
      try file.tensor("i")
    }
    #expect("\(SafetensorsError.missingKey(file: "f", key: "k"))" == "f: no tensor 'k'")
    #expect(throws: SafetensorsError.self) {
      try SafetensorsFile(contentsOf: URL(fileURLWithPath: "/nonexistent/x.safetensors"))
    }
  }

  @Test func malformedHeadersAreRejected() {
    let cases: [(String, [UInt8])] = [
      ("not json", []),
      ("[1, 2]", []),
      (#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
      (#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, [0, 0, 0, 0]),
      (#"{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
      (#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, [0, 0, 0, 0]),
      (#"{"x":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
      (#"{"x":{"dtype":"F32","shape":[9223372036854775807,4],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
      (#"{"x":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
      (#"{"x":{"shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
      (#"{"__metadata__":{"a":1}}"#, []),
    ]
    for (header, data) in cases {
      #expect(throws: SafetensorsError.self, "\(header)") {
        try SafetensorsFile(data: handMade(header, data), name: "bad")
      }
    }
    #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: Data([1, 2, 3]), name: "short") }
    var huge = handMade("{}", [])
    huge[7] = 0x7F
    #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: huge, name: "huge") }
  }

  @Test func damagedFilesNeverCrash() throws {
    var file = SafetensorsFile()
    file.metadata = ["module": "LSTM", "config": #"{"hidden_size": 6}"#]
    var g = RandomGenerator(seed: 1)
    file.set("params/_w_i", Tensor(randomNormal: [4, 24], generator: &g))
    file.set("params/b", Tensor(randomNormal: [24], generator: &g))
    file.set("inputs/action", IndexTensor([1, 2, 3]))
    let bytes = [UInt8](try file.serialized())
    // Every truncation.
    for length in 0..<bytes.count {
      #expect(throws: SafetensorsError.self, "truncated to \(length)") {
        try SafetensorsFile(data: Data(bytes[0..<length]), name: "cut")
      }
    }
    // Random byte damage: either an error or a file whose tensors all have consistent shapes.
    for trial in 0..<3000 {
      var damaged = bytes
      for _ in 0...(trial % 4) {
        let position = Int(g.next() % UInt64(damaged.count))
        damaged[position] = UInt8(truncatingIfNeeded: g.next())
      }
      if let parsed = try? SafetensorsFile(data: Data(damaged), name: "damaged") {
        for key in parsed.keys {
          switch parsed.values[key]! {
          case .float(let t): #expect(t.scalarCount == t.shape.reduce(1, *))
          case .int32(let t): #expect(t.scalars.count == t.shape.reduce(1, *))
          }
        }
      }
    }
  }
}
