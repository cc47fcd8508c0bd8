import FTWAgent
import Foundation
import Testing

@Suite struct PageMessageTests {
  private func read(_ json: String) throws -> PageMessage { try PageMessage(json: Data(json.utf8)) }

  @Test func eachTypeReadsItsFieldsWithDefaults() throws {
    var request = GameRequest()
    (request.teamSize, request.seat) = (2, 1)
    #expect(try read(#"{"type": "start", "teamSize": 2, "seat": 1}"#) == .start(request))
    #expect(
      try read(#"{"type": "keys", "forward": true, "tag": true}"#)
        == .keys(KeyState(forward: true, tag: true)))
    guard case .watch(let watch) = try read(#"{"type": "watch", "run": "runs/a", "teamSize": 1}"#) else {
      Issue.record("not a watch message")
      return
    }
    #expect(watch.run == "runs/a" && watch.opponent == "scripted" && watch.steps == 1000)
    #expect(watch.gameRequest.teamSize == 1 && watch.gameRequest.opponents == "scripted")
    #expect(try read(#"{"type": "keys"}"#).type == "keys")
  }

  @Test(arguments: [
    (#"[1, 2]"#, "a JSON object with a \"type\""),
    (#"{"forward": true}"#, "a JSON object with a \"type\""),
    (#"{"type": 3}"#, "a JSON object with a \"type\""),
    (#"{"type": "dance"}"#, "unknown message type 'dance'"),
    ("not json", "a JSON object with a \"type\""),
  ])
  func malformedMessagesAreRefusedNamingWhy(json: String, reason: String) {
    #expect {
      try read(json)
    } throws: { error in
      (error as? TrainingError)?.description.contains(reason) == true
    }
  }

  @Test func aFieldOfTheWrongTypeIsADecodingError() {
    #expect(throws: DecodingError.self) { try read(#"{"type": "keys", "forward": "yes"}"#) }
    #expect(throws: DecodingError.self) { try read(#"{"type": "watch"}"#) }
    #expect(throws: DecodingError.self) { try read(#"{"type": "start", "teamSize": "two"}"#) }
  }
}
