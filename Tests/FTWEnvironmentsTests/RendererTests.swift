import Testing

@testable import FTWEnvironments

@Suite struct RendererTests {
  func pixel(_ pixels: [UInt8], size: Int, x: Int, y: Int) -> RGB {
    let offset = (y * size + x) * 3
    return RGB(pixels[offset], pixels[offset + 1], pixels[offset + 2])
  }

  func view(_ game: CaptureTheFlag, of player: Int) -> [UInt8] {
    let size = game.configuration.viewSize
    return [UInt8](unsafeUninitializedCapacity: size * size * 3) { buffer, count in
      game.renderView(of: player, into: buffer)
      count = size * size * 3
    }
  }

  /// The fraction of pixels in which two views differ.
  func difference(_ a: [UInt8], _ b: [UInt8]) -> Double {
    let pixels = a.count / 3
    guard a.count == b.count else { return 1 }
    var differing = 0
    for pixel in 0..<pixels where (0..<3).contains(where: { a[3 * pixel + $0] != b[3 * pixel + $0] }) {
      differing += 1
    }
    return Double(differing) / Double(pixels)
  }

  /// In a symmetric arena, players on mirrored spots see the same picture: colours are relative
  /// to the observer's team, so one agent can play either side. (Up to 1% of pixels may differ,
  /// where a sample falls within rounding of a tile edge: mirroring x to width - x moves it.)
  @Test(arguments: ViewKind.allCases, Arena.layoutNames)
  func mirroredPlayersSeeTheSameView(view kind: ViewKind, layout: String) throws {
    let arena = try Arena.named(layout)
    let game = try CaptureTheFlag(
      configuration: .init(arena: .fixed(arena), teamSize: 2, view: kind, viewSize: 84), seed: 0)
    game.reset()
    for player in 0..<2 {
      #expect(game.players[player].heading == Heading.turned(game.players[player + 2].heading, by: 36))
      #expect(
        difference(view(game, of: player), view(game, of: player + 2)) <= 0.01, "\(kind) \(layout) \(player)")
    }
    // A player of team 0 carrying team 1's flag looks, to team 1, like its own flag being carried.
    game.players[1].carriesFlag = true
    game.flags[1] = .carried(by: 1)
    game.players[3].carriesFlag = true
    game.flags[0] = .carried(by: 3)
    #expect(difference(view(game, of: 0), view(game, of: 2)) <= 0.01)
  }

  @Test func theTopDownViewShowsTheObserverTeammatesAndOpponentsInTheirColours() throws {
    let game = try makeGame(teamSize: 2, viewSize: 84)
    let scale: Float = 84 / 11  // pixels per tile
    game.place(0, x: 2.5, y: 3.5, heading: 0)  // looking along +x: up the picture
    game.place(1, x: 4.5, y: 3.5)  // two tiles ahead
    game.place(2, x: 2.5, y: 2.5)  // one tile to the left
    game.place(3, x: 1.5, y: 1.5)
    let pixels = view(game, of: 0)
    let eyeRow = Int(84 * 0.8)
    #expect(pixel(pixels, size: 84, x: 42, y: eyeRow) == Palette.observer)
    #expect(pixel(pixels, size: 84, x: 42, y: eyeRow - Int(2 * scale)) == Palette.teammate)
    #expect(pixel(pixels, size: 84, x: 42 - Int(scale), y: eyeRow) == Palette.opponent)
    // Team 1's player sees team 0's players as opponents, and itself as the observer.
    let other = view(game, of: 2)
    #expect(pixel(other, size: 84, x: 42, y: eyeRow) == Palette.observer)
    // Team 0's flag at base A, for team 0: the own-flag colour; the wall behind: wall colour.
    game.place(0, x: 1.5, y: 3.5, heading: 54)  // facing up the arena (-y), base A two tiles ahead
    game.place(3, x: 6.5, y: 3.5)
    let atBase = view(game, of: 0)
    #expect(pixel(atBase, size: 84, x: 42, y: eyeRow - Int(2 * scale)) == Palette.ownFlag)
    #expect(pixel(atBase, size: 84, x: 42, y: eyeRow - Int(3.5 * scale)) == Palette.wall)
    #expect(pixel(atBase, size: 84, x: 42, y: eyeRow - Int(1.2 * scale)) == Palette.ownBase)
  }

  @Test func theFirstPersonViewShowsWallsFloorAndPlayersByDistance() throws {
    let game = try makeGame(teamSize: 1, view: .firstPerson, viewSize: 84)
    game.place(0, x: 2.5, y: 3.5, heading: 0)
    game.place(1, x: 1.5, y: 1.5)
    let open = view(game, of: 0)
    // 5.5 tiles to the wall at x = 8: the wall spans 42 / 5.5 = 7.6 rows around the horizon.
    #expect(pixel(open, size: 84, x: 42, y: 42) != Palette.ceiling)
    #expect(pixel(open, size: 84, x: 42, y: 42 - 8) == Palette.ceiling.lit(0.75 + 0.25 * 34 / 42))
    let floor = pixel(open, size: 84, x: 42, y: 83)
    #expect(floor.red == floor.green && floor.red > floor.blue)  // the plain floor's grey
    game.place(1, x: 4.5, y: 3.5)  // an opponent two tiles ahead covers the wall
    let opponent = pixel(view(game, of: 0), size: 84, x: 42, y: 46)
    #expect(opponent.red > 2 * opponent.green && opponent.red > 2 * opponent.blue)
    game.place(0, x: 4.5, y: 3.5, heading: 36)
    game.place(1, x: 7.0, y: 3.5)  // behind the observer now: not drawn
    let behind = view(game, of: 0)
    let reddish = stride(from: 0, to: behind.count, by: 3).filter {
      Int(behind[$0]) > 2 * Int(behind[$0 + 1]) && behind[$0] > 150
    }
    #expect(reddish.isEmpty)
  }

  @Test func viewsOfEverySizeFillTheirBuffer() throws {
    for kind in ViewKind.allCases {
      for size in [8, 9, 84, 127] {
        let game = try makeGame(view: kind, viewSize: size)
        let pixels = try game.step()[0].observation.pixels
        #expect(pixels.count == size * size * 3)
      }
    }
  }
}
