#ifndef CFTWKERNELS_OPTIMIZERS_H
#define CFTWKERNELS_OPTIMIZERS_H

#include "CPUFeatures.h"

/// One RMSProp step (TensorFlow's `ApplyRMSProp`, and with `mean_gradient` not NULL
/// `ApplyCenteredRMSProp`) over `count` values, in the build for `ftw_kernel_isa()`:
///
///     ms'  = g * g * (1 - decay) + ms * decay
///     mg'  = g * (1 - decay) + mg * decay                      (centered only)
///     mom' = momentum * mom + learning_rate * g / sqrt(ms' [- mg'²] + epsilon)
///     p'   = p - mom'
///
/// each operation rounded once, in this order (no fused multiply-adds), so every build gives the
/// same bits. The outputs may not overlap the inputs.
void ftw_rmsprop_step(long count, const float *gradient, const float *mean_square, const float *momentum_slot,
                      const float *mean_gradient, const float *parameter, float decay, float momentum,
                      float learning_rate, float epsilon, float *new_mean_square, float *new_momentum_slot,
                      float *new_mean_gradient, float *new_parameter);

/// `ftw_rmsprop_step` in the build for `isa`.
void ftw_rmsprop_step_on(ftw_isa isa, long count, const float *gradient, const float *mean_square,
                         const float *momentum_slot, const float *mean_gradient, const float *parameter, float decay,
                         float momentum, float learning_rate, float epsilon, float *new_mean_square,
                         float *new_momentum_slot, float *new_mean_gradient, float *new_parameter);

#endif
