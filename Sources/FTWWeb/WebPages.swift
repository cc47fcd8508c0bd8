#if Web
import FTWAgent
import FTWEnvironments
import Foundation
import Hummingbird
import HummingbirdWebSocket

extension WebServer {
  /// The page and the JSON and GIF routes.
  func addPages(to router: Router<BasicWebSocketRequestContext>) {
    router.get("/") { _, _ in
      try Self.response(Self.page(), type: "text/html; charset=utf-8")
    }
    router.get("/api/players") { _, _ in
      try Self.json(Players(bots: BotKind.allCases.map(\.rawValue), runs: catalog.runs()))
    }
    router.get("/api/record") { _, _ in
      try Self.json(games.record())
    }
    router.get("/api/metrics") { request, _ in
      try Self.json(try curves(of: try Self.parameter("run", of: request)))
    }
    router.get("/api/gif") { request, _ in
      let log = try Self.answering { try games.log(named: try Self.parameter("game", of: request)) }
      var recorder: GameRecorder?
      try log.replay { game in
        if recorder == nil { recorder = try GameRecorder(game: game, framesPerSecond: 7) }
        if game.stepCount % 2 == 0 || game.stepCount == log.actions.count { try recorder?.capture() }
      }
      return try Self.response(Data(recorder?.gif() ?? []), type: "image/gif")
    }
  }

  /// What a seat can be filled with.
  struct Players: Codable {
    var bots: [String]
    var runs: [RunCatalog.Run]
  }

  /// A run's curves: the metrics rows, or for a population the ratings rows and each member's
  /// latest evolved values.
  struct Curves: Codable {
    var run: String
    var columns: [String]
    var rows: [[Double?]]
    var valueColumns: [String] = []
    var values: [[Double]] = []
  }

  func curves(of name: String) throws -> Curves {
    let url = try Self.answering { try catalog.url(of: name) }
    guard PopulationRun.isPopulation(at: url) else {
      let (run, _) = try Self.answering { try RunFolder.open(at: url) }
      return Curves(run: name, columns: MetricsRow.columns, rows: run.metrics().map(\.values))
    }
    let (population, _, _) = try Self.answering { try PopulationRun.open(at: url) }
    func header(_ file: URL) -> [String] {
      let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
      return text.split(separator: "\n").first?.split(separator: ",").map(String.init) ?? []
    }
    // The values file has a row per member at every logging: keep each member's last.
    var latest: [Int: [Double]] = [:]
    for row in population.table(population.valuesURL) where row.count > 2 { latest[Int(row[2])] = row }
    return Curves(
      run: name, columns: header(population.ratingsURL),
      rows: population.table(population.ratingsURL).map { $0.map { $0 } },
      valueColumns: header(population.valuesURL), values: latest.keys.sorted().compactMap { latest[$0] })
  }

  /// The page, from the target's resources.
  static func page() throws -> Data {
    guard let url = Bundle.module.url(forResource: "index", withExtension: "html"),
      let data = FileManager.default.contents(atPath: url.path)
    else { throw HTTPError(.internalServerError, message: "the page is missing from this build") }
    return data
  }

  static func parameter(_ name: String, of request: Request) throws -> String {
    guard let value = request.uri.queryParameters.get(name), !value.isEmpty else {
      throw HTTPError(.badRequest, message: "the request needs ?\(name)=...")
    }
    return value
  }

  /// `body`'s value; a ``TrainingError`` becomes a 404 with its message.
  static func answering<Value>(_ body: () throws -> Value) throws -> Value {
    do {
      return try body()
    } catch let error as TrainingError {
      throw HTTPError(.notFound, message: error.description)
    }
  }

  static func json(_ value: some Encodable) throws -> Response {
    try response(try JSONEncoder().encode(value), type: "application/json")
  }

  static func response(_ data: Data, type: String) throws -> Response {
    Response(
      status: .ok, headers: [.contentType: type, .cacheControl: "no-store"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
  }
}
#endif
