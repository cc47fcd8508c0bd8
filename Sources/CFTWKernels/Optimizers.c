// Optimiser updates as single vectorised passes over the parameter's buffers. Built for AVX-512,
// AVX2+FMA and the baseline (CPU.h); contraction into FMAs is off, so that every build (and the
// scalar loop it replaces) rounds alike.

#include "CPU.h"
#include "Optimizers.h"

#pragma clang fp contract(off)

FTW_INLINE void rmsprop_step_body(ftw_isa isa, long count, const float *restrict g, const float *restrict ms,
                                  const float *restrict mom, const float *restrict mg, const float *restrict p,
                                  float decay, float momentum, float learning_rate, float epsilon,
                                  float *restrict ms_out, float *restrict mom_out, float *restrict mg_out,
                                  float *restrict p_out) {
  (void)isa;
  const float keep = 1 - decay;
  if (mg) {
    for (long i = 0; i < count; i++) {
      float square = g[i] * g[i] * keep + ms[i] * decay;
      float mean = g[i] * keep + mg[i] * decay;
      float step = momentum * mom[i] + learning_rate * g[i] / __builtin_elementwise_sqrt(square - mean * mean + epsilon);
      ms_out[i] = square;
      mg_out[i] = mean;
      mom_out[i] = step;
      p_out[i] = p[i] - step;
    }
    return;
  }
  for (long i = 0; i < count; i++) {
    float square = g[i] * g[i] * keep + ms[i] * decay;
    float step = momentum * mom[i] + learning_rate * g[i] / __builtin_elementwise_sqrt(square + epsilon);
    ms_out[i] = square;
    mom_out[i] = step;
    p_out[i] = p[i] - step;
  }
}

FTW_DISPATCH(rmsprop_step,
             (long count, const float *gradient, const float *mean_square, const float *momentum_slot,
              const float *mean_gradient, const float *parameter, float decay, float momentum, float learning_rate,
              float epsilon, float *new_mean_square, float *new_momentum_slot, float *new_mean_gradient,
              float *new_parameter),
             (count, gradient, mean_square, momentum_slot, mean_gradient, parameter, decay, momentum, learning_rate,
              epsilon, new_mean_square, new_momentum_slot, new_mean_gradient, new_parameter))
