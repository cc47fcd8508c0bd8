// The register-tile kernel of the built-in GEMM, built for AVX-512, AVX2+FMA and the baseline (CPU.h).
#include "CPU.h"
#include "GemmMicrokernel.h"

FTW_INLINE void sgemm_microkernel_body(
    ftw_isa isa, long kc, const float *a, const float *b, float *c, long ldc, float alpha) {
  (void)isa;
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

FTW_DISPATCH(sgemm_microkernel, (long kc, const float *a, const float *b, float *c, long ldc, float alpha),
             (kc, a, b, c, ldc, alpha))

const char *ftw_sgemm_microkernel_isa(void) { return ftw_isa_name(ftw_kernel_isa()); }
