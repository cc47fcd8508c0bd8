#ifndef CFTWKERNELS_PEAK_H
#define CFTWKERNELS_PEAK_H

#include "CPUFeatures.h"

/// The arithmetic a peak measurement runs.
typedef enum {
  /// Single-precision multiply-adds: FMAs of the build's widest registers (a multiply and an add
  /// on the baseline, which has no FMA).
  FTW_PEAK_FP32 = 0,
  /// bfloat16 dot products accumulated in single precision (AVX512_BF16's `vdpbf16ps`): each
  /// instruction does two multiply-adds per lane.
  FTW_PEAK_BF16 = 1,
} ftw_peak_kind;

/// Whether this CPU can run `kind` in the build for `isa` (bfloat16 needs AVX-512 and
/// AVX512_BF16).
int ftw_peak_available(ftw_peak_kind kind, ftw_isa isa);

/// Runs `rounds` rounds of a register-only loop of independent chains of `kind` in the build for
/// `isa` (lowered to what the CPU has) and returns the floating-point operations done: time it to
/// get the rate one core reaches.
double ftw_peak_run(ftw_peak_kind kind, ftw_isa isa, long rounds);

#endif
