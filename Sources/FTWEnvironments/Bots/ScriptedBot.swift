/// A bot that plays capture the flag by rules of thumb at a given ``BotSkill``, knowing where the
/// flags are and noticing opponents as its skill lets it.
///
/// An attacker, in order of priority: returns its own dropped flag; chases whoever carries its own
/// flag (even while carrying the other one, since no one can capture while their own flag is away);
/// carries the other team's flag home; fetches it. A defender does the first two and otherwise
/// stands at its base facing the other one. Both walk shortest paths on the tile grid, turn to face
/// an opponent they noticed unless taking a flag home, and fire at an opponent in the beam by
/// chance (the seed decides), so that two such teams do not mirror each other forever.
///
/// ```swift
/// let bot = ScriptedBot(player: 0, seed: 1, skill: BotKind.expert.skill!)
/// try game.step([bot.action(in: game).components, /* the other players' */])
/// ```
public final class ScriptedBot: Bot {
  public let player: Int
  /// How well it plays.
  public let skill: BotSkill
  private var generator: SplitMix64
  private var lastPosition: Point?
  private var stuckSteps = 0
  /// Steps each player has been in sight without a break.
  private var sightings: [Int] = []
  /// The way it strafes while dodging, +1 or -1.
  private var dodgeSide = 1
  private var paths = PathCache()

  /// Creates a bot for `player`; the seed drives its chances and how it shakes itself loose when
  /// stuck.
  public init(player: Int, seed: UInt64, skill: BotSkill = .scripted) {
    self.player = player
    self.skill = skill
    generator = SplitMix64(seed: seed)
  }

  public func action(in game: CaptureTheFlag) -> CTFAction {
    let me = game.players[player]
    let opponent = noticedOpponent(in: game, me: me)
    guard me.isActive else { return .none }
    let defends = skill.style.defends(player: player, teamSize: game.configuration.teamSize)
    let goal = self.goal(in: game, me: me, defends: defends)
    var aim = paths.waypoint(toward: goal, in: game, from: me.position)
    let goingHome = me.carriesFlag && game.flags[me.team] == .home
    let engages = opponent != nil && !goingHome
    let guarding = defends && !engages && game.flags[me.team] == .home && me.position.cell == goal.cell
    if let opponent, engages { aim = game.players[opponent].position }
    if guarding { aim = Point(centreOf: game.arena.bases[1 - me.team]) }
    let difference = Heading.difference(
      from: me.heading, to: Heading.nearest(dx: aim.x - me.position.x, dy: aim.y - me.position.y))
    var move = abs(difference) <= 8 && !guarding ? 1 : 0
    if engages, me.position.squaredDistance(to: aim) < 4 { move = 0 }
    if move == 1, skill.speed < 1, !chance(skill.speed) { move = 0 }
    let inBeam = game.beamTarget(of: player).target
    let strafe = self.strafe(
      in: game, me: me, moving: move == 1, aim: engages ? opponent : nil, inBeam: inBeam)
    let fire = me.cooldown == 0 && hasNoticed(inBeam) && chance(skill.fireChance)
    return CTFAction(move: move, strafe: strafe, turn: turn(by: difference, rules: game.rules), tag: fire)
  }

  /// The turn action that brings the heading closest to `difference` units further.
  private func turn(by difference: Int, rules: CaptureTheFlagRules) -> Int {
    switch abs(difference) {
    case rules.fastTurn...: 2 * difference.signum()
    case rules.slowTurn...: difference.signum()
    default: 0
    }
  }

  /// Where the bot wants to go.
  private func goal(in game: CaptureTheFlag, me: PlayerState, defends: Bool) -> Point {
    let own = me.team
    let base = Point(centreOf: game.arena.bases[own])
    switch game.flags[own] {
    case .dropped(let point, _): return point
    case .carried(let carrier): return game.players[carrier].position
    case .home: if me.carriesFlag || defends { return base }
    }
    if let flag = game.flagPosition(of: 1 - own) { return flag }
    // A teammate carries the other flag: go beside it, or home to meet it.
    if skill.escorts, case .carried(let carrier) = game.flags[1 - own] {
      return game.players[carrier].position
    }
    return base
  }

  /// The sideways step: out of a beam aimed at it (when it dodges), toward an opponent just beside
  /// its own beam, which holds `inBeam` (when it aims finely), or either way at random when stuck.
  private func strafe(
    in game: CaptureTheFlag, me: PlayerState, moving: Bool, aim opponent: Int?, inBeam: Int?
  ) -> Int {
    if let lastPosition, lastPosition.squaredDistance(to: me.position) < 1e-4, moving {
      stuckSteps += 1
    } else {
      stuckSteps = 0
    }
    lastPosition = me.position
    if stuckSteps > 3 { return generator.next(below: 2) == 0 ? -1 : 1 }
    if skill.dodges, isInAnOpponentsBeam(game, me: me) {
      if generator.next(below: 8) == 0 { dodgeSide = -dodgeSide }
      return dodgeSide
    }
    if skill.aimsFinely, let opponent, inBeam == nil {
      let target = game.players[opponent].position
      let (dx, dy) = (target.x - me.position.x, target.y - me.position.y)
      let forward = me.direction
      let along = dx * forward.x + dy * forward.y
      let across = forward.x * dy - forward.y * dx
      // Within a slow turn (10 degrees, tan 0.18) of the beam, where turning would overshoot.
      // Strafing by +1 moves the opponent's offset across the beam by -1 per unit of strafe.
      if along > 0, abs(across) < 0.18 * along { return across > 0 ? 1 : -1 }
    }
    return 0
  }

  /// Whether an active opponent with its beam ready would tag this bot if it fired now.
  private func isInAnOpponentsBeam(_ game: CaptureTheFlag, me: PlayerState) -> Bool {
    game.players.indices.contains { other in
      let them = game.players[other]
      return them.team != me.team && them.isActive && them.cooldown <= 1
        && them.position.squaredDistance(to: me.position) <= game.rules.tagRange * game.rules.tagRange
        && game.beamTarget(of: other).target == player
    }
  }

  /// The nearest opponent in sight range that the bot has seen for longer than its reaction time.
  private func noticedOpponent(in game: CaptureTheFlag, me: PlayerState) -> Int? {
    if sightings.count != game.players.count { sightings = Array(repeating: 0, count: game.players.count) }
    var nearest: Int?
    let range = skill.sightRange * game.rules.tagRange
    var nearestDistance = range * range
    for (index, other) in game.players.enumerated() {
      guard me.isActive, other.team != me.team, other.isActive, sees(other, from: me, in: game) else {
        sightings[index] = 0
        continue
      }
      sightings[index] += 1
      let distance = me.position.squaredDistance(to: other.position)
      if sightings[index] > skill.reactionSteps, distance < nearestDistance {
        nearest = index
        nearestDistance = distance
      }
    }
    return nearest
  }

  /// Whether `player` is an opponent the bot has seen for longer than its reaction time.
  private func hasNoticed(_ player: Int?) -> Bool {
    guard let player else { return false }
    return sightings[player] > skill.reactionSteps
  }

  /// Whether `other` is in sight range and, as the bot's sight goes, in view and not behind a wall.
  private func sees(_ other: PlayerState, from me: PlayerState, in game: CaptureTheFlag) -> Bool {
    let (dx, dy) = (other.position.x - me.position.x, other.position.y - me.position.y)
    let squared = dx * dx + dy * dy
    let range = skill.sightRange * game.rules.tagRange
    guard squared < range * range else { return false }
    if skill.sight == .view {
      // Within 45 degrees of the heading: the component along it is at least cos(45) of the length.
      let along = dx * me.direction.x + dy * me.direction.y
      guard along > 0, 2 * along * along >= squared else { return false }
    }
    return game.arena.hasLineOfSight(from: me.position, to: other.position)
  }

  /// `true` with probability `p`.
  private func chance(_ p: Double) -> Bool {
    if p >= 1 { return true }
    if p <= 0 { return false }
    return Double(generator.next() >> 11) * 0x1p-53 < p
  }
}

/// The distances to one goal cell on a game's arena, kept while the goal and the game stay.
private struct PathCache {
  private var target: Arena.Cell?
  private var game = 0
  private var distances: [Int] = []

  /// The centre of the next cell on a shortest path to `goal`, or `goal` itself once in its cell.
  mutating func waypoint(toward goal: Point, in game: CaptureTheFlag, from position: Point) -> Point {
    let arena = game.arena
    let goalCell = goal.cell
    let here = position.cell
    if here == goalCell { return goal }
    if goalCell != target || game.gameCount != self.game {
      distances = arena.distances(from: goalCell)
      target = goalCell
      self.game = game.gameCount
    }
    var best = here
    var bestDistance = Int.max
    for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
      let cell = Arena.Cell(x: here.x + dx, y: here.y + dy)
      guard !arena.isWall(x: cell.x, y: cell.y) else { continue }
      let distance = distances[cell.y * arena.width + cell.x]
      if distance >= 0, distance < bestDistance {
        best = cell
        bestDistance = distance
      }
    }
    return Point(centreOf: best)
  }
}
