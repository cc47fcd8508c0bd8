// What every kernel file shares: the 8-float vector type, the inline attribute, and the run-time
// choice between two builds of a kernel, one for AVX2+FMA and one for the baseline instruction set.
// Swift has no per-function target attributes, so the kernels live in C, their bodies written once
// as always-inline functions and compiled into both builds by FTW_DISPATCH.
#ifndef CFTWKERNELS_CPU_H
#define CFTWKERNELS_CPU_H

/// Eight floats in one AVX register (two SSE registers in the baseline build); loads and stores
/// through it may be unaligned.
typedef float ftw_v8 __attribute__((vector_size(32), aligned(4)));

/// A helper compiled into each build of the kernel that calls it.
#define FTW_INLINE static inline __attribute__((always_inline))

/// Whether this CPU has AVX2 and FMA.
int ftw_cpu_has_avx2_fma(void);

/// Defines `void ftw_<name> parameters`, which runs `<name>_body arguments` compiled for AVX2+FMA
/// when the CPU has them, else compiled for the baseline.
#define FTW_DISPATCH(name, parameters, arguments)                                                      \
  __attribute__((target("avx2,fma"))) static void name##_avx2 parameters { name##_body arguments; }    \
  static void name##_generic parameters { name##_body arguments; }                                    \
  void ftw_##name parameters {                                                                          \
    if (ftw_cpu_has_avx2_fma()) {                                                                       \
      name##_avx2 arguments;                                                                            \
    } else {                                                                                            \
      name##_generic arguments;                                                                         \
    }                                                                                                   \
  }

#endif
