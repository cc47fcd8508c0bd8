/// Capture the flag with Quake III Arena's rules, for two teams, fast and deterministic.
///
/// Each team has a base holding its flag. A player picks up the other team's flag by touching it and
/// captures it (one point) by bringing it to its own base while its own flag is home. A tagged
/// player drops the flag it carries and waits `respawnDelay` steps at its base; touching your own
/// dropped flag returns it, and a dropped flag returns by itself after `flagReturnDelay` steps. The
/// beam tags the nearest opponent in front within `tagRange`, unless a wall is in the way, and then
/// cools down. Players collide with walls and with opponents (teammates pass through each other).
/// After `stepsPerGame` steps the team with more captures wins.
///
/// Players `0..<teamSize` are team 0 and the rest team 1. Each step every player observes its own
/// 84x84 RGB view (team-relative colours: its own team is blue, the other red, so one agent can play
/// either side) and the counts of `GameEvent`s; its reward is the events' Quake III game points.
///
/// ```swift
/// let game = try CaptureTheFlag(configuration: .init(teamSize: 2), seed: 7)
/// var steps = game.reset()
/// let bots: [any Bot] = (0..<game.playerCount).map { ScriptedBot(player: $0, seed: UInt64($0)) }
/// while steps[0].stepType != .last {
///   steps = try game.step(bots.map { $0.action(in: game).components })
/// }
/// print(game.teamScores, game.outcome)
/// ```
public final class CaptureTheFlag: MultiPlayerEnvironment {
  /// The decomposed action of every player: move (back, none, forward), strafe (left, none,
  /// right), turn (left fast, left, none, right, right fast), tag (no, yes): 90 in all.
  public static let actionSpec = ActionSpec(components: [
    ActionComponent(name: "move", choices: ["back", "none", "forward"]),
    ActionComponent(name: "strafe", choices: ["left", "none", "right"]),
    ActionComponent(name: "turn", choices: ["left fast", "left", "none", "right", "right fast"]),
    ActionComponent(name: "tag", choices: ["no", "tag"]),
  ])

  /// How games are set up.
  public let configuration: CaptureTheFlagConfiguration
  /// The rules' timing and distances (`configuration.rules`).
  public var rules: CaptureTheFlagRules { configuration.rules }
  /// The current game's arena.
  public private(set) var arena: Arena
  /// Every player's state.
  public internal(set) var players: [PlayerState] = []
  /// Each team's flag.
  public internal(set) var flags: [FlagState] = [.home, .home]
  /// Captures of each team in the current game.
  public private(set) var teamScores = [0, 0]
  /// Steps taken in the current game.
  public private(set) var stepCount = 0
  /// The number of games started.
  public private(set) var gameCount = 0

  /// What each cell of the arena is, for the renderers.
  private(set) var tileKinds: [TileKind]
  /// Shortest-path distances to the objectives met in this game, by target cell.
  private var distanceFields: [Arena.Cell: [Int]] = [:]

  private var generator: SplitMix64
  private var needsReset = true
  private var events: [[Float]]
  private let renderer: any ViewRenderer

  /// Creates a game; the seed fixes every generated arena, so equal seeds and equal actions give
  /// equal games, bit for bit. Call `reset()` to start.
  public init(configuration: CaptureTheFlagConfiguration, seed: UInt64) throws(EnvironmentError) {
    try configuration.validate()
    self.configuration = configuration
    generator = SplitMix64(seed: seed)
    switch configuration.arena {
    case .fixed(let fixed): arena = fixed
    case .generated(let size): arena = Arena.generated(size: size, seed: 0)
    }
    tileKinds = TileKind.kinds(of: arena)
    events = Array(
      repeating: Array(repeating: 0, count: GameEvent.allCases.count), count: 2 * configuration.teamSize)
    switch configuration.view {
    case .topDown: renderer = TopDownRenderer(size: configuration.viewSize)
    case .firstPerson: renderer = FirstPersonRenderer(size: configuration.viewSize)
    }
  }

  public var playerCount: Int { 2 * configuration.teamSize }

  public var playerTeams: [Int] { (0..<playerCount).map { $0 < configuration.teamSize ? 0 : 1 } }

  public var observationSpec: ObservationSpec {
    ObservationSpec(
      height: configuration.viewSize, width: configuration.viewSize, eventNames: GameEvent.names)
  }

  public var actionSpec: ActionSpec { Self.actionSpec }

  /// The winner so far (the final result after a `.last` step).
  public var outcome: GameOutcome { GameOutcome(scores: teamScores) }

  /// Starts a new game: a new arena when arenas are generated, every player at its base.
  @discardableResult
  public func reset() -> [TimeStep] {
    if case .generated(let size) = configuration.arena {
      arena = Arena.generated(size: size, seed: generator.next())
      tileKinds = TileKind.kinds(of: arena)
    }
    players = (0..<playerCount).map { index in
      var player = PlayerState(team: playerTeams[index], position: Point(x: 0, y: 0), heading: 0)
      placeAtSpawn(&player, index: index)
      return player
    }
    flags = [.home, .home]
    distanceFields.removeAll()
    teamScores = [0, 0]
    stepCount = 0
    gameCount += 1
    needsReset = false
    clearEvents()
    return timeSteps(type: .first)
  }

  /// Advances the game by one step with one action per player (indices into `actionSpec`); after
  /// the last step of a game, starts the next one instead and ignores the actions.
  @discardableResult
  public func step(_ actions: [[Int]]) throws(EnvironmentError) -> [TimeStep] {
    guard actions.count == playerCount else {
      throw .invalidAction("one action per player: \(playerCount) expected, got \(actions.count)")
    }
    let decoded = try actions.map { (components) throws(EnvironmentError) in
      try CTFAction(components: components)
    }
    if needsReset { return reset() }
    advance(decoded)
    stepCount += 1
    let isLast = stepCount >= configuration.stepsPerGame
    if isLast { needsReset = true }
    return timeSteps(type: isLast ? .last : .mid)
  }

  /// Renders player `index`'s view into `pixels` (`viewSize * viewSize * 3` bytes).
  public func renderView(of index: Int, into pixels: UnsafeMutableBufferPointer<UInt8>) {
    renderer.render(self, observer: index, into: pixels)
  }

  // MARK: - The rules of one step

  private func advance(_ actions: [CTFAction]) {
    clearEvents()
    // Dropped flags count down first, so a flag dropped in this step lies its full delay.
    for team in 0..<2 {
      if case .dropped(let point, let returnsIn) = flags[team] {
        flags[team] = returnsIn <= 1 ? .home : .dropped(at: point, returnsIn: returnsIn - 1)
      }
    }
    for index in players.indices {
      players[index].beamLength = nil
      if players[index].cooldown > 0 { players[index].cooldown -= 1 }
      if players[index].respawnIn > 0 {
        players[index].respawnIn -= 1
        continue
      }
      let before = players[index].position.cell
      let objective = objectiveCell(of: index)
      move(index, by: actions[index])
      recordProgress(index, from: before, toward: objective)
    }
    resolveTags(actions)
    for index in players.indices where players[index].isActive { touchFlags(index) }
  }

  private func move(_ index: Int, by action: CTFAction) {
    var player = players[index]
    let turn = action.turn.signum() * (abs(action.turn) == 2 ? rules.fastTurn : rules.slowTurn)
    player.heading = Heading.turned(player.heading, by: turn)
    let forward = player.direction
    let speed = action.move > 0 ? rules.forwardSpeed : action.move < 0 ? -rules.backwardSpeed : 0
    let strafe = Float(action.strafe) * rules.strafeSpeed
    // Right of the heading is the heading turned a quarter clockwise on screen: (-dy, dx).
    let dx = forward.x * speed - forward.y * strafe
    let dy = forward.y * speed + forward.x * strafe
    player.position = slide(index, from: player.position, dx: dx, dy: dy)
    players[index] = player
  }

  /// Moves along x, then along y, stopping at the face of any wall the player's square would enter,
  /// and not at all along an axis where it would come closer to an opponent it touches.
  private func slide(_ index: Int, from start: Point, dx: Float, dy: Float) -> Point {
    let alongX = slide(index, from: start, along: \.x, by: dx)
    return slide(index, from: alongX, along: \.y, by: dy)
  }

  private func slide(
    _ index: Int, from start: Point, along axis: WritableKeyPath<Point, Float>, by delta: Float
  )
    -> Point
  {
    guard delta != 0 else { return start }
    let radius = rules.playerRadius
    var position = start
    position[keyPath: axis] += delta
    if overlapsWall(position) {
      let edge = position[keyPath: axis]
      position[keyPath: axis] =
        delta > 0
        ? (edge + radius).rounded(.down) - radius - 1e-3 : (edge - radius).rounded(.down) + 1 + radius + 1e-3
      if overlapsWall(position) { return start }
    }
    return pushesIntoPlayer(index, from: start, to: position) ? start : position
  }

  /// `true` if moving from `start` to `end` brings player `index` closer to an active opponent that
  /// it would then overlap. Moving apart is always allowed, so players that overlap can separate;
  /// teammates pass through each other, so a team never jams its own corridors.
  private func pushesIntoPlayer(_ index: Int, from start: Point, to end: Point) -> Bool {
    let contact = 2 * rules.playerRadius
    let team = players[index].team
    for other in players.indices where players[other].team != team && players[other].isActive {
      let there = players[other].position
      let after = end.squaredDistance(to: there)
      if after < contact * contact && after < start.squaredDistance(to: there) { return true }
    }
    return false
  }

  private func overlapsWall(_ point: Point) -> Bool {
    let radius = rules.playerRadius
    let x0 = Int((point.x - radius).rounded(.down))
    let x1 = Int((point.x + radius).rounded(.down))
    let y0 = Int((point.y - radius).rounded(.down))
    let y1 = Int((point.y + radius).rounded(.down))
    for y in y0...y1 {
      for x in x0...x1 where arena.isWall(x: x, y: y) { return true }
    }
    return false
  }

  /// Every beam fired this step hits at once, from the positions after moving, so the order of the
  /// players does not matter: two players can tag each other.
  private func resolveTags(_ actions: [CTFAction]) {
    var tagged: [(tagger: Int, target: Int)] = []
    for index in players.indices
    where players[index].isActive && actions[index].tag && players[index].cooldown == 0 {
      let (target, length) = beamTarget(of: index)
      players[index].cooldown = rules.tagCooldown
      players[index].beamLength = length
      if let target { tagged.append((index, target)) }
    }
    var alreadyOut = Set<Int>()
    for (tagger, target) in tagged {
      record(.iTaggedOpponent, for: tagger)
      if players[target].carriesFlag { record(.iTaggedFlagCarrier, for: tagger) }
      guard alreadyOut.insert(target).inserted else { continue }
      record(.iWasTagged, for: target)
      let before = distanceToObjective(of: target)
      if players[target].carriesFlag {
        record(.iWasTaggedWithFlag, for: target)
        flags[1 - players[target].team] = .dropped(
          at: players[target].position, returnsIn: rules.flagReturnDelay)
        players[target].carriesFlag = false
      }
      players[target].respawnIn = rules.respawnDelay
      players[target].beamLength = nil
      placeAtSpawn(&players[target], index: target)
      recordRespawnProgress(target, from: before)
    }
  }

  /// Records the tiles a tagged player lost (or, rarely, gained) toward its objective by being sent
  /// to its base as that many progress events, so that progress shapes the reward by a potential
  /// over the whole game: a run toward a guarded flag that ends in a tag earns nothing in all.
  private func recordRespawnProgress(_ index: Int, from before: Int?) {
    guard let before, let after = distanceToObjective(of: index) else { return }
    let event: GameEvent = after > before ? .iMovedAwayFromObjective : .iMovedTowardObjective
    record(event, for: index, times: abs(after - before))
  }

  /// The opponent a beam fired by player `index` now would tag (the nearest in front within
  /// `tagWidth` of the beam's line), and the beam's length: up to that opponent, the first wall or
  /// `tagRange`.
  public func beamTarget(of index: Int) -> (target: Int?, length: Float) {
    let shooter = players[index]
    let wall = arena.castRay(from: shooter.position, direction: shooter.direction, maximum: rules.tagRange)
    var length = wall.distance
    var target: Int?
    for other in players.indices where players[other].isActive && players[other].team != shooter.team {
      let dx = players[other].position.x - shooter.position.x
      let dy = players[other].position.y - shooter.position.y
      let along = dx * shooter.direction.x + dy * shooter.direction.y
      let across = abs(dy * shooter.direction.x - dx * shooter.direction.y)
      if along > 0, along < length, across <= rules.tagWidth {
        length = along
        target = other
      }
    }
    return (target, length)
  }

  /// Returns a touched dropped flag of one's own, picks up the other team's flag, captures.
  private func touchFlags(_ index: Int) {
    let player = players[index]
    let own = player.team
    let other = 1 - own
    let touch = rules.touchRadius * rules.touchRadius
    if case .dropped(let point, _) = flags[own], player.position.squaredDistance(to: point) <= touch {
      flags[own] = .home
      recordForTeams(.iReturnedFlag, by: index)
    }
    if !player.carriesFlag, let point = flagPosition(of: other),
      player.position.squaredDistance(to: point) <= touch
    {
      flags[other] = .carried(by: index)
      players[index].carriesFlag = true
      recordForTeams(.iPickedUpFlag, by: index)
    }
    let base = Point(centreOf: arena.bases[own])
    if players[index].carriesFlag, flags[own] == .home,
      player.position.squaredDistance(to: base) <= rules.captureRadius * rules.captureRadius
    {
      players[index].carriesFlag = false
      flags[other] = .home
      teamScores[own] += 1
      recordForTeams(.iCaptured, by: index)
    }
  }

  /// The cell player `index` is heading for: the other team's flag, or its own base while its team
  /// carries that flag.
  private func objectiveCell(of index: Int) -> Arena.Cell {
    let team = players[index].team
    guard let flag = flagPosition(of: 1 - team) else { return arena.bases[team] }
    return flag.cell
  }

  /// Records a step along the shortest paths toward or away from `objective`, if the player
  /// changed tiles.
  private func recordProgress(_ index: Int, from before: Arena.Cell, toward objective: Arena.Cell) {
    let after = players[index].position.cell
    guard after != before,
      let from = distance(from: before, to: objective), let to = distance(from: after, to: objective)
    else { return }
    if to < from { record(.iMovedTowardObjective, for: index) }
    if to > from { record(.iMovedAwayFromObjective, for: index) }
  }

  /// Tiles along the arena's shortest paths from player `index`'s cell to its objective.
  private func distanceToObjective(of index: Int) -> Int? {
    distance(from: players[index].position.cell, to: objectiveCell(of: index))
  }

  /// Tiles along the arena's shortest paths from `cell` to `objective`, `nil` if either is a wall
  /// or cut off.
  private func distance(from cell: Arena.Cell, to objective: Arena.Cell) -> Int? {
    if distanceFields[objective] == nil {
      if distanceFields.count >= 64 { distanceFields.removeAll() }
      distanceFields[objective] = arena.distances(from: objective)
    }
    let tiles = distanceFields[objective]![cell.y * arena.width + cell.x]
    return tiles >= 0 ? tiles : nil
  }

  /// Where a team's flag lies when nobody carries it.
  public func flagPosition(of team: Int) -> Point? {
    switch flags[team] {
    case .home: Point(centreOf: arena.bases[team])
    case .dropped(let point, _): point
    case .carried: nil
    }
  }

  private func placeAtSpawn(_ player: inout PlayerState, index: Int) {
    let spawns = arena.spawns[player.team]
    let slot = player.team == 0 ? index : index - configuration.teamSize
    let cell = spawns[slot % spawns.count]
    player.position = Point(centreOf: cell)
    let centre = Point(x: Float(arena.width) / 2, y: Float(arena.height) / 2)
    player.heading = Heading.nearest(dx: centre.x - player.position.x, dy: centre.y - player.position.y)
  }

  // MARK: - Events and time steps

  private func clearEvents() {
    for index in events.indices {
      for event in events[index].indices { events[index][event] = 0 }
    }
  }

  private func record(_ event: GameEvent, for index: Int, times: Int = 1) {
    events[index][event.rawValue] += Float(times)
  }

  /// Records an event for its player, and its teammate and opponent counterparts for the others.
  private func recordForTeams(_ event: GameEvent, by index: Int) {
    record(event, for: index)
    guard let (teammate, opponent) = event.teamCounterparts else { return }
    for other in players.indices where other != index {
      record(players[other].team == players[index].team ? teammate : opponent, for: other)
    }
  }

  private func timeSteps(type: StepType) -> [TimeStep] {
    let byteCount = configuration.viewSize * configuration.viewSize * 3
    return players.indices.map { index in
      let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, count in
        renderer.render(self, observer: index, into: buffer)
        count = byteCount
      }
      var reward: Float = 0
      for event in GameEvent.allCases { reward += events[index][event.rawValue] * event.defaultPoints }
      return TimeStep(
        stepType: type, reward: reward, discount: type == .last ? 0 : 1,
        observation: Observation(pixels: pixels, events: events[index]))
    }
  }
}
