/// Fixed arenas, by name, for games that should always be played on the same map.
extension Arena {
  /// The names of the fixed layouts, for `named(_:)`.
  public static let layoutNames = ["open", "towers", "maze"]

  /// A fixed layout by name: `open` (15 x 15, a few pillars), `towers` (19 x 19, rooms and
  /// walls), `maze` (21 x 21, corridors).
  public static func named(_ name: String) throws(EnvironmentError) -> Arena {
    let layout: String
    switch name {
    case "open": layout = openLayout
    case "towers": layout = towersLayout
    case "maze": layout = mazeLayout
    default:
      throw .invalidLayout(
        "no layout is named '\(name)'; the named layouts are \(layoutNames.joined(separator: ", "))")
    }
    return try Arena(layout: layout, name: name)
  }

  private static let openLayout = """
    ###############
    #.............#
    #.A...........#
    #.............#
    #....##...##..#
    #....#.....#..#
    #.............#
    #......#......#
    #.............#
    #..#.....#....#
    #..##...##....#
    #.............#
    #...........B.#
    #.............#
    ###############
    """

  private static let towersLayout = """
    ###################
    #.....#...........#
    #..A..#...#####...#
    #.....#.......#...#
    #.........#...#...#
    ###.###...#.......#
    #.........#####..##
    #..#..............#
    #..#....#...#.....#
    #...#...#.#...#...#
    #.....#...#....#..#
    #..............#..#
    ##..#####.........#
    #.......#...###.###
    #...#...#.........#
    #...#.......#.....#
    #...#####...#..B..#
    #...........#.....#
    ###################
    """

  private static let mazeLayout = """
    #####################
    #...#.......#.......#
    #.A.#.#####.#.#####.#
    #...#.#...#...#.....#
    #.....#.#.#####.###.#
    ###.###.#.......#...#
    #.......#####.#.#.###
    #.#####.....#.#.#...#
    #.#...#####.#.#####.#
    #.#.#.......#.......#
    #...#.###.#.###.#...#
    #.......#.......#.#.#
    #.#####.#.#####...#.#
    #...#.#.#.....#####.#
    ###.#.#.#####.......#
    #...#.......#.###.###
    #.###.#####.#.#.....#
    #.....#...#...#.#...#
    #.#####.#.#####.#.B.#
    #.......#.......#...#
    #####################
    """
}
