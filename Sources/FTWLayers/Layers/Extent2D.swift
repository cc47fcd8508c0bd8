/// A height and a width: a kernel shape or a stride, written as one number for both or as a pair.
///
/// ```swift
/// let square: Extent2D = 3          // 3 x 3
/// let tall: Extent2D = [5, 3]       // 5 high, 3 wide
/// ```
public struct Extent2D: Equatable, Sendable, ExpressibleByIntegerLiteral,
  ExpressibleByArrayLiteral, CustomStringConvertible
{
  public let height: Int
  public let width: Int

  public init(height: Int, width: Int) {
    self.height = height
    self.width = width
  }

  public init(_ both: Int) { self.init(height: both, width: both) }

  public init(integerLiteral value: Int) { self.init(value) }

  /// One value for both, or `[height, width]`.
  public init(arrayLiteral elements: Int...) {
    precondition(elements.count == 1 || elements.count == 2, "Extent2D takes 1 or 2 values")
    self.init(height: elements[0], width: elements[elements.count - 1])
  }

  /// One value for both, or `[height, width]`; `nil` for any other count.
  public init?(_ values: [Int]) {
    guard values.count == 1 || values.count == 2 else { return nil }
    self.init(height: values[0], width: values[values.count - 1])
  }

  var pair: (Int, Int) { (height, width) }

  public var description: String { height == width ? "\(height)" : "[\(height), \(width)]" }
}
