// Run-time choice between two builds of a kernel: one for AVX2+FMA, one for the baseline
// instruction set. Swift has no per-function target attributes, so the kernels live in C, their
// bodies written once as always-inline functions and compiled into both builds by FTW_DISPATCH.
#ifndef CFTWKERNELS_CPU_H
#define CFTWKERNELS_CPU_H

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
