/// A bot that plays capture the flag by rules of thumb, with full knowledge of the game state.
///
/// In order of priority it: returns its own dropped flag; chases whoever carries its own flag (even
/// while carrying the other one, since no one can capture while their own flag is away); carries
/// the other team's flag home; fetches it. It walks shortest paths on the tile grid, turns to face
/// opponents within reach unless it is taking a flag home, and fires at an opponent in the beam
/// half the time (the seed decides), so that two scripted teams do not mirror each other forever.
public final class ScriptedBot: Bot {
  public let player: Int
  private var generator: SplitMix64
  private var lastPosition: Point?
  private var stuckSteps = 0
  private var cachedTarget: Arena.Cell?
  private var cachedGame = 0
  private var cachedDistances: [Int] = []

  /// Creates a bot for `player`; the seed drives how it shakes itself loose when stuck.
  public init(player: Int, seed: UInt64) {
    self.player = player
    generator = SplitMix64(seed: seed)
  }

  public func action(in game: CaptureTheFlag) -> CTFAction {
    let me = game.players[player]
    guard me.isActive else { return .none }
    let goal = self.goal(in: game, me: me)
    var aim = waypoint(toward: goal, in: game, from: me.position)
    let goingHome = me.carriesFlag && game.flags[me.team] == .home
    let opponent = nearestVisibleOpponent(in: game, me: me)
    if let opponent, !goingHome { aim = opponent }
    let heading = Heading.nearest(dx: aim.x - me.position.x, dy: aim.y - me.position.y)
    let difference = Heading.difference(from: me.heading, to: heading)
    let turn: Int
    switch abs(difference) {
    case game.rules.fastTurn...: turn = 2 * difference.signum()
    case game.rules.slowTurn...: turn = difference.signum()
    default: turn = 0
    }
    var move = abs(difference) <= 8 ? 1 : 0
    if opponent != nil, !goingHome, me.position.squaredDistance(to: aim) < 4 { move = 0 }
    var strafe = 0
    if let lastPosition, lastPosition.squaredDistance(to: me.position) < 1e-4, move == 1 {
      stuckSteps += 1
    } else {
      stuckSteps = 0
    }
    lastPosition = me.position
    if stuckSteps > 3 { strafe = generator.next(below: 2) == 0 ? -1 : 1 }
    let fire = me.cooldown == 0 && game.beamTarget(of: player).target != nil && generator.next(below: 2) == 0
    return CTFAction(move: move, strafe: strafe, turn: turn, tag: fire)
  }

  /// Where the bot wants to go.
  private func goal(in game: CaptureTheFlag, me: PlayerState) -> Point {
    let own = me.team
    let base = Point(centreOf: game.arena.bases[own])
    switch game.flags[own] {
    case .dropped(let point, _): return point
    case .carried(let carrier): return game.players[carrier].position
    case .home: if me.carriesFlag { return base }
    }
    if let flag = game.flagPosition(of: 1 - own) { return flag }
    return base  // a teammate carries the other flag: go home to meet it
  }

  /// The centre of the next cell on a shortest path to `goal`, or `goal` itself once in its cell.
  private func waypoint(toward goal: Point, in game: CaptureTheFlag, from position: Point) -> Point {
    let arena = game.arena
    let target = goal.cell
    let here = position.cell
    if here == target { return goal }
    if target != cachedTarget || game.gameCount != cachedGame {
      cachedDistances = arena.distances(from: target)
      cachedTarget = target
      cachedGame = game.gameCount
    }
    var best = here
    var bestDistance = Int.max
    for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
      let cell = Arena.Cell(x: here.x + dx, y: here.y + dy)
      guard !arena.isWall(x: cell.x, y: cell.y) else { continue }
      let distance = cachedDistances[cell.y * arena.width + cell.x]
      if distance >= 0, distance < bestDistance {
        best = cell
        bestDistance = distance
      }
    }
    return Point(centreOf: best)
  }

  private func nearestVisibleOpponent(in game: CaptureTheFlag, me: PlayerState) -> Point? {
    var nearest: Point?
    var nearestDistance = game.rules.tagRange * game.rules.tagRange
    for other in game.players where other.team != me.team && other.isActive {
      let distance = me.position.squaredDistance(to: other.position)
      if distance < nearestDistance, game.arena.hasLineOfSight(from: me.position, to: other.position) {
        nearest = other.position
        nearestDistance = distance
      }
    }
    return nearest
  }
}
