#ifndef CFTWKERNELS_SKINNY_GEMM_H
#define CFTWKERNELS_SKINNY_GEMM_H

#include "CPUFeatures.h"

/// The most rows `ftw_sgemm_skinny` takes against a transposed B, and against an untransposed B on
/// builds without AVX-512 (where it beats a packing GEMM up to there: `ftw bench gemm --shapes`
/// against OpenBLAS, per shape).
#define FTW_SKINNY_MAX_M 8
/// The most rows against an untransposed B with the AVX-512 build.
#define FTW_SKINNY_MAX_M_WIDE 16

/// The most rows `ftw_sgemm_skinny` takes (`transpose_b` 0 or 1) in the build that
/// `ftw_kernel_isa()` selects.
long ftw_sgemm_skinny_max_rows(int transpose_b);

/// Columns `[n0, n1)` of row-major `C[m, n] = alpha * A[m, k] · op(B) + beta * C` for
/// `m <= ftw_sgemm_skinny_max_rows(transpose_b)`, streaming B without packing it. `op(B)` is
/// `B [k, n]`, or with `transpose_b` the transpose of `B [n, k]`. With `beta == 0`, C is not read.
void ftw_sgemm_skinny(int transpose_b, long m, long n0, long n1, long k, float alpha, const float *a, long lda,
                      const float *b, long ldb, float beta, float *c, long ldc);
/// `ftw_sgemm_skinny` in the build for `isa` (any `m` is computed; the limits above are where each
/// build is fastest).
void ftw_sgemm_skinny_on(ftw_isa isa, int transpose_b, long m, long n0, long n1, long k, float alpha,
                         const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc);

#endif
