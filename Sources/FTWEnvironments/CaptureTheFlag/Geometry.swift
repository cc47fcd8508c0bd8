import Foundation

/// A position in the arena, in tiles (`y` grows downwards).
public struct Point: Sendable, Equatable {
  public var x: Float
  public var y: Float

  /// Creates a point.
  public init(x: Float, y: Float) {
    self.x = x
    self.y = y
  }

  /// The centre of a cell.
  public init(centreOf cell: Arena.Cell) { self.init(x: Float(cell.x) + 0.5, y: Float(cell.y) + 0.5) }

  /// The cell the point lies in.
  public var cell: Arena.Cell { Arena.Cell(x: Int(x.rounded(.down)), y: Int(y.rounded(.down))) }

  /// The squared distance to another point.
  public func squaredDistance(to other: Point) -> Float {
    (other.x - x) * (other.x - x) + (other.y - y) * (other.y - y)
  }
}

/// Headings in units of 5 degrees: 72 make a turn; heading 0 looks along +x, 18 along +y (down).
public enum Heading {
  /// The number of headings in a full turn.
  public static let count = 72

  /// The unit vector of each heading, computed once so stepping calls no trigonometry.
  public static let directions: [Point] = (0..<count).map { heading in
    let angle = Double(heading) * 2 * Double.pi / Double(count)
    return Point(x: Float(cos(angle)), y: Float(sin(angle)))
  }

  /// The heading nearest to the direction `(dx, dy)`.
  public static func nearest(dx: Float, dy: Float) -> Int {
    var best = 0
    var bestDot = -Float.infinity
    for (heading, direction) in directions.enumerated() {
      let dot = direction.x * dx + direction.y * dy
      if dot > bestDot {
        best = heading
        bestDot = dot
      }
    }
    return best
  }

  /// `heading` turned by `units`, kept in `0..<count`.
  public static func turned(_ heading: Int, by units: Int) -> Int {
    ((heading + units) % count + count) % count
  }

  /// The signed number of units from `heading` to `target`, in `-count/2..<count/2`.
  public static func difference(from heading: Int, to target: Int) -> Int {
    (target - heading + count + count / 2) % count - count / 2
  }
}

/// Where a ray meets a wall.
public struct RayHit: Sendable {
  /// The ray parameter at the wall: the hit point is `origin + distance * direction` (for a unit
  /// direction, the distance in tiles).
  public var distance: Float
  /// `true` if the wall face crossed runs along y (the ray stepped in x), `false` for an x face.
  public var crossedVerticalFace: Bool
  /// The wall cell hit, or the cell where the ray stopped at `maximum`.
  public var cell: Arena.Cell
  /// `false` when the ray reached `maximum` without meeting a wall.
  public var hitWall: Bool
}

extension Arena {
  /// Walks a ray through the grid (digital differential analysis) to the first wall, or to the
  /// parameter `maximum`.
  public func castRay(from origin: Point, direction: Point, maximum: Float) -> RayHit {
    var cellX = Int(origin.x.rounded(.down))
    var cellY = Int(origin.y.rounded(.down))
    let deltaX = direction.x == 0 ? Float.infinity : abs(1 / direction.x)
    let deltaY = direction.y == 0 ? Float.infinity : abs(1 / direction.y)
    let stepX = direction.x < 0 ? -1 : 1
    let stepY = direction.y < 0 ? -1 : 1
    var sideX = direction.x < 0 ? (origin.x - Float(cellX)) * deltaX : (Float(cellX + 1) - origin.x) * deltaX
    var sideY = direction.y < 0 ? (origin.y - Float(cellY)) * deltaY : (Float(cellY + 1) - origin.y) * deltaY
    while true {
      let distance: Float
      let vertical: Bool
      if sideX < sideY {
        distance = sideX
        sideX += deltaX
        cellX += stepX
        vertical = true
      } else {
        distance = sideY
        sideY += deltaY
        cellY += stepY
        vertical = false
      }
      if distance >= maximum {
        return RayHit(
          distance: maximum, crossedVerticalFace: vertical, cell: Cell(x: cellX, y: cellY), hitWall: false)
      }
      if isWall(x: cellX, y: cellY) {
        return RayHit(
          distance: distance, crossedVerticalFace: vertical, cell: Cell(x: cellX, y: cellY), hitWall: true)
      }
    }
  }

  /// `true` if no wall stands between two points.
  public func hasLineOfSight(from a: Point, to b: Point) -> Bool {
    let length = a.squaredDistance(to: b).squareRoot()
    guard length > 0 else { return true }
    let direction = Point(x: (b.x - a.x) / length, y: (b.y - a.y) / length)
    return !castRay(from: a, direction: direction, maximum: length).hitWall
  }
}
