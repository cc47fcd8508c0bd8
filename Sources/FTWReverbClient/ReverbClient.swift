#if Distributed
import FTWReverb
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf

/// A client of a Reverb server (dm-reverb 0.14) over gRPC: table information, resets,
/// checkpoints, sampling, and writers that insert trajectories.
///
/// One client holds one HTTP/2 connection; writers and samples share it. Calls do not wait for a
/// server that is down: they throw ``ReverbError/unreachable(address:reason:)``, and
/// ``connect(to:attempts:firstDelay:)`` retries with backoff until the server answers.
///
/// ```swift
/// let client = try await ReverbClient.connect(to: ReverbAddress("localhost:8000"))
/// let writer = client.writer()
/// try await writer.insert([observations, actions, rewards], table: ReverbTables.trajectories(0))
/// let batch = try await client.sample(table: ReverbTables.trajectories(0), count: 1)   // [ReverbSample]
/// try await writer.close()
/// client.close()
/// ```
public final class ReverbClient: Sendable {
  typealias Transport = HTTP2ClientTransport.Posix

  /// The server's address.
  public let address: ReverbAddress
  let grpc: GRPCClient<Transport>
  let service: Deepmind_Reverb_ReverbService.Client<Transport>
  private let connections: Task<Void, Never>

  /// Options of every call: fail at once when the server is down, and messages up to 256 MiB
  /// (a batch of trajectories with pixels is tens of megabytes).
  let options: CallOptions = {
    var options = CallOptions.defaults
    options.waitForReady = false
    options.maxRequestMessageBytes = 256 << 20
    options.maxResponseMessageBytes = 256 << 20
    return options
  }()

  /// A client of the server at `address`; nothing is sent until the first call.
  public init(address: ReverbAddress) throws {
    self.address = address
    let transport = try HTTP2ClientTransport.Posix(
      target: .dns(host: address.host, port: address.port), transportSecurity: .plaintext)
    let grpc = GRPCClient(transport: transport)
    self.grpc = grpc
    self.service = Deepmind_Reverb_ReverbService.Client(wrapping: grpc)
    self.connections = Task { try? await grpc.runConnections() }
  }

  /// A client of the server at `address` once it answers ``serverInfo()``: tries `attempts`
  /// times, waiting `firstDelay` after the first failure and twice as long after each next one
  /// (at most 30 seconds), then throws ``ReverbError/unreachable(address:reason:)``.
  public static func connect(
    to address: ReverbAddress, attempts: Int = 8, firstDelay: Duration = .milliseconds(250)
  ) async throws -> ReverbClient {
    precondition(attempts >= 1, "attempts must be at least 1")
    let client = try ReverbClient(address: address)
    let (seconds, attoseconds) = firstDelay.components
    var backoff = Backoff(first: Double(seconds) + Double(attoseconds) * 1e-18)
    for attempt in 1...attempts {
      do {
        _ = try await client.serverInfo()
        return client
      } catch ReverbError.unreachable where attempt < attempts {
        try await Task.sleep(for: .seconds(backoff.next()))
      } catch {
        client.close()
        throw error
      }
    }
    client.close()
    throw ReverbError.unreachable(address: "\(address)", reason: "no answer after \(attempts) attempts")
  }

  /// Ends the connection once the calls in flight have finished.
  public func close() {
    grpc.beginGracefulShutdown()
  }

  deinit {
    grpc.beginGracefulShutdown()
    connections.cancel()
  }

  /// The server's tables and their state.
  public func serverInfo() async throws -> [ReverbTableInfo] {
    try await call {
      try await self.service.serverInfo(Deepmind_Reverb_ServerInfoRequest(), options: self.options)
    }.tableInfo.map(ReverbTableInfo.init)
  }

  /// Removes every item of `table`.
  public func reset(table: String) async throws {
    var message = Deepmind_Reverb_ResetRequest()
    message.table = table
    let request = message
    _ = try await call { try await self.service.reset(request, options: self.options) }
  }

  /// Has the server write a checkpoint of all its tables; returns the checkpoint's path on the
  /// server.
  public func checkpoint() async throws -> String {
    try await call {
      try await self.service.checkpoint(Deepmind_Reverb_CheckpointRequest(), options: self.options)
    }.checkpointPath
  }

  /// A writer of items on its own insert stream (see ``TrajectoryWriter``).
  public func writer(maxInFlightItems: Int = 4, deltaEncoded: Bool = true) -> TrajectoryWriter {
    TrajectoryWriter(client: self, maxInFlightItems: maxInFlightItems, deltaEncoded: deltaEncoded)
  }

  /// `body`'s result, its errors as ``ReverbError``s.
  func call<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
    do {
      return try await body()
    } catch {
      throw ReverbError.from(error, address: "\(address)")
    }
  }
}

/// One table of a Reverb server, as ``ReverbClient/serverInfo()`` reports it.
public struct ReverbTableInfo: Equatable, Sendable {
  public var name: String
  public var maxSize: Int
  public var currentSize: Int
  /// Samples an item may give before it is removed (0: no limit).
  public var maxTimesSampled: Int
  public var numberOfEpisodes: Int
  public var numberOfUniqueSamples: Int
  /// Inserts completed since the server started (or loaded its checkpoint): a table whose items
  /// are replaced, such as a weights table, changed when this did.
  public var insertCount: Int

  init(_ info: Deepmind_Reverb_TableInfo) {
    name = info.name
    maxSize = Int(info.maxSize)
    currentSize = Int(info.currentSize)
    maxTimesSampled = Int(info.maxTimesSampled)
    numberOfEpisodes = Int(info.numEpisodes)
    numberOfUniqueSamples = Int(info.numUniqueSamples)
    insertCount = Int(info.rateLimiterInfo.insertStats.completed)
  }
}
#endif
