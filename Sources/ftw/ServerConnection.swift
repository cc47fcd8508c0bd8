#if Distributed
import ArgumentParser
import FTWAgent
import FTWReverb
import FTWReverbClient

/// A client of the Reverb server that `--server` names, once it answers (with backoff); a bad
/// address or a server that never answers exits with a message.
func connectToServer(_ server: String) throws -> ReverbClient {
  do {
    let address = try ReverbAddress(server)
    return try runBlocking { try await ReverbClient.connect(to: address) }
  } catch {
    throw fail("\(error)")
  }
}
#endif
