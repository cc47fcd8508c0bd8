// What every kernel file shares: the vector types, the inline attribute, and the run-time choice
// between three builds of a kernel: AVX-512, AVX2+FMA, and the baseline instruction set. Swift has
// no per-function target attributes, so the kernels live in C, their bodies written once as
// always-inline functions taking the instruction set as a constant, and compiled into each build
// by FTW_DISPATCH.
#ifndef CFTWKERNELS_CPU_H
#define CFTWKERNELS_CPU_H

#include "include/CPUFeatures.h"

/// Eight floats in one AVX register (two SSE registers in the baseline build); loads and stores
/// through it may be unaligned.
typedef float ftw_v8 __attribute__((vector_size(32), aligned(4)));

/// Sixteen floats: one AVX-512 register, two AVX registers, four SSE registers; loads and stores
/// through it may be unaligned.
typedef float ftw_v16 __attribute__((vector_size(64), aligned(4)));

/// A helper compiled into each build of the kernel that calls it.
#define FTW_INLINE static inline __attribute__((always_inline))

#define FTW_UNPARENTHESISED(...) __VA_ARGS__

/// Defines `void ftw_<name> parameters`, which runs `<name>_body(isa, arguments...)` in the build
/// for the best instruction set `ftw_kernel_isa()` allows, and `void ftw_<name>_on(ftw_isa isa,
/// parameters...)`, which runs the build for `isa` (lowered to what the CPU has). Bodies read `isa`
/// as a compile-time constant.
#define FTW_DISPATCH(name, parameters, arguments)                                                           \
  __attribute__((target("avx512f,avx512vl,avx2,fma"))) static void name##_avx512 parameters {              \
    name##_body(FTW_ISA_AVX512, FTW_UNPARENTHESISED arguments);                                             \
  }                                                                                                         \
  __attribute__((target("avx2,fma"))) static void name##_avx2 parameters {                                 \
    name##_body(FTW_ISA_AVX2, FTW_UNPARENTHESISED arguments);                                               \
  }                                                                                                         \
  static void name##_generic parameters { name##_body(FTW_ISA_GENERIC, FTW_UNPARENTHESISED arguments); }    \
  void ftw_##name##_on(ftw_isa isa, FTW_UNPARENTHESISED parameters) {                                       \
    switch (ftw_isa_supported(isa)) {                                                                       \
    case FTW_ISA_AVX512: name##_avx512 arguments; break;                                                   \
    case FTW_ISA_AVX2: name##_avx2 arguments; break;                                                       \
    default: name##_generic arguments; break;                                                               \
    }                                                                                                       \
  }                                                                                                         \
  void ftw_##name parameters { ftw_##name##_on(ftw_kernel_isa(), FTW_UNPARENTHESISED arguments); }

#endif
