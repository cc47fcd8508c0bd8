// The register-tile kernel of the built-in GEMM. Swift has no per-function target attributes, so this
// one loop lives in C: compiled twice (AVX2+FMA and the baseline instruction set) and chosen at run time.
#include "CFTWKernels.h"

typedef float ftw_v8 __attribute__((vector_size(32), aligned(4)));

static inline __attribute__((always_inline)) void microkernel_body(
    long kc, const float *a, const float *b, float *c, long ldc, float alpha) {
  ftw_v8 acc[FTW_GEMM_MR][2];
  for (int i = 0; i < FTW_GEMM_MR; i++) {
    acc[i][0] = (ftw_v8){0};
    acc[i][1] = (ftw_v8){0};
  }
  for (long p = 0; p < kc; p++) {
    ftw_v8 b0 = *(const ftw_v8 *)(b + p * FTW_GEMM_NR);
    ftw_v8 b1 = *(const ftw_v8 *)(b + p * FTW_GEMM_NR + 8);
    const float *ap = a + p * FTW_GEMM_MR;
    for (int i = 0; i < FTW_GEMM_MR; i++) {
      acc[i][0] += b0 * ap[i];
      acc[i][1] += b1 * ap[i];
    }
  }
  for (int i = 0; i < FTW_GEMM_MR; i++) {
    ftw_v8 *row = (ftw_v8 *)(c + i * ldc);
    row[0] += acc[i][0] * alpha;
    row[1] += acc[i][1] * alpha;
  }
}

__attribute__((target("avx2,fma"))) static void microkernel_avx2(
    long kc, const float *a, const float *b, float *c, long ldc, float alpha) {
  microkernel_body(kc, a, b, c, ldc, alpha);
}

static void microkernel_generic(long kc, const float *a, const float *b, float *c, long ldc, float alpha) {
  microkernel_body(kc, a, b, c, ldc, alpha);
}

static int has_avx2_fma(void) {
  static int cached = -1;
  if (cached < 0) {
    __builtin_cpu_init();
    cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }
  return cached;
}

void ftw_sgemm_microkernel(long kc, const float *a, const float *b, float *c, long ldc, float alpha) {
  if (has_avx2_fma()) {
    microkernel_avx2(kc, a, b, c, ldc, alpha);
  } else {
    microkernel_generic(kc, a, b, c, ldc, alpha);
  }
}

const char *ftw_sgemm_microkernel_isa(void) { return has_avx2_fma() ? "avx2+fma" : "generic"; }
