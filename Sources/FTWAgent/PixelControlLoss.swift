import FTWLayers
import FTWTensor

/// The pixel-control auxiliary loss (UNREAL; trfl's `pixel_control_loss`).
///
/// The observations are cropped (`cropHeight`, `cropWidth`, half-open ranges) and multiplied by
/// `scale`; each `cellSize x cellSize` cell's pseudo-reward is the mean absolute change between
/// consecutive frames over its pixels and channels. Each cell learns its own action values by
/// n-step Q-learning: returns run backwards from `max_a Q_T(a)` as `G_t = r_t + discount · G_{t+1}`,
/// and the loss is `½ (G_t - Q_t(a_t))²` (no gradient through `G`), summed over time and cells.
///
/// ```swift
/// let loss = PixelControlLoss()
/// let (perRow, pseudoRewards) = loss(observations: frames, actions: actions, actionValues: q)   // [B]
/// ```
public struct PixelControlLoss: Sendable {
  public var cellSize: Int
  public var discount: Float
  public var scale: Float
  public var cropHeight: Range<Int>
  public var cropWidth: Range<Int>

  public init(
    cellSize: Int = 4, discount: Float = 0.9, scale: Float = 1, cropHeight: Range<Int> = 2..<82,
    cropWidth: Range<Int> = 2..<82
  ) {
    self.cellSize = cellSize
    self.discount = discount
    self.scale = scale
    self.cropHeight = cropHeight
    self.cropWidth = cropWidth
  }

  /// Pseudo-rewards `[T, B, H', W']` of observations `[T+1, B, H, W, C]` (no gradient).
  public func pseudoRewards(_ observations: Tensor) -> Tensor {
    precondition(observations.rank == 5, "observations must be [T+1, B, H, W, C], got \(observations.shape)")
    let shape = observations.shape
    let (frames, batch, height, width, channels) = (shape[0], shape[1], shape[2], shape[3], shape[4])
    precondition(
      cropHeight.upperBound <= height && cropWidth.upperBound <= width && cropHeight.count % cellSize == 0
        && cropWidth.count % cellSize == 0,
      "crop \(cropHeight) x \(cropWidth) must fit \(height)x\(width) in whole cells")
    let (rows, columns) = (cropHeight.count / cellSize, cropWidth.count / cellSize)
    let normaliser = Float(cellSize * cellSize * channels)
    return Tensor(shape: [frames - 1, batch, rows, columns]) { out in
      observations.withUnsafeBufferPointer { pixels in
        for t in 0..<(frames - 1) {
          for b in 0..<batch {
            for row in 0..<rows {
              for column in 0..<columns {
                var total: Float = 0
                for y in 0..<cellSize {
                  for x in 0..<cellSize {
                    let (h, w) = (
                      cropHeight.lowerBound + row * cellSize + y, cropWidth.lowerBound + column * cellSize + x
                    )
                    let before = (((t * batch + b) * height + h) * width + w) * channels
                    let after = before + batch * height * width * channels
                    for c in 0..<channels {
                      total += Swift.abs(scale * pixels[after + c] - scale * pixels[before + c])
                    }
                  }
                }
                out[((t * batch + b) * rows + row) * columns + column] = total / normaliser
              }
            }
          }
        }
      }
    }
  }

  /// - Parameters:
  ///   - observations: `[T+1, B, H, W, C]` in `[0, 1]`.
  ///   - actions: `[T, B]`.
  ///   - actionValues: `[T+1, B, H', W', A]`, the pixel-control network's Q-values.
  /// - Returns: the loss per batch row `[B]`, and the pseudo-rewards `[T, B, H', W']`.
  public func callAsFunction(
    observations: Tensor, actions: IndexTensor, actionValues: Tensor
  ) -> (loss: Tensor, pseudoRewards: Tensor) {
    let rewards = pseudoRewards(observations)
    let (steps, batch, rows, columns) = (
      rewards.shape[0], rewards.shape[1], rewards.shape[2], rewards.shape[3]
    )
    let numActions = actionValues.shape[actionValues.rank - 1]
    precondition(
      actionValues.shape == [steps + 1, batch, rows, columns, numActions],
      "action values must be [\(steps + 1), \(batch), \(rows), \(columns), A] for these observations, got \(actionValues.shape)"
    )
    // Returns, backwards from the greedy value of the last map; constants for the gradient.
    let bootstrap = actionValues.element(steps).stoppingGradient().max(alongAxes: [-1]).scalars
    let r = rewards.scalars
    let cells = batch * rows * columns
    var returns = [Float](repeating: 0, count: steps * cells)
    for cell in 0..<cells {
      var g = bootstrap[cell]
      for t in stride(from: steps - 1, through: 0, by: -1) {
        g = r[t * cells + cell] + discount * g
        returns[t * cells + cell] = g
      }
    }
    let chosen = actions.oneHot(depth: numActions).reshaped(to: [steps, batch, 1, 1, numActions])
    let taken = (actionValues.slice(0..<steps, alongAxis: 0) * chosen).sum(alongAxis: -1)
    let errors = Tensor(shape: [steps, batch, rows, columns], scalars: returns) - taken
    return (0.5 * errors.squared().sum(alongAxes: [0, 2, 3]), rewards)
  }
}
