#ifndef CFTWKERNELS_SKINNY_GEMM_H
#define CFTWKERNELS_SKINNY_GEMM_H

#include "CPUFeatures.h"

/// The most rows `ftw_sgemm_skinny` takes against a transposed B, and against an untransposed B on
/// builds without AVX-512 (where it beats a packing GEMM up to there: `ftw bench gemm --shapes`
/// against OpenBLAS, per shape).
#define FTW_SKINNY_MAX_M 8
/// The most rows against an untransposed B with the AVX-512 build, and against a B packed by
/// `ftw_skinny_pack` with every build (each block of the packed strips serves all of them from L2).
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

/// Floats of a `[k, n]` matrix packed by `ftw_skinny_pack`.
long ftw_skinny_packed_count(long k, long n);

/// Packs the row-major `[k, n]` matrix `b` (rows `ldb` apart) into column strips of 16, each `k`
/// contiguous rows of 16 values (zero past column `n`): `packed[(s * k + p) * 16 + j] = b[p, 16 s + j]`.
void ftw_skinny_pack(const float *b, long k, long n, long ldb, float *packed);

/// Strips `[s0, s1)` of 16 columns (of `n`) of row-major `C = alpha * A[m, k] · B + beta * C`, with
/// `B [k, n]` packed by `ftw_skinny_pack`, for `m <= 16`: each strip streams from memory once per
/// group of rows, in order. With `beta == 0`, C is not read.
void ftw_sgemm_skinny_packed(long m, long s0, long s1, long n, long k, float alpha, const float *a, long lda,
                             const float *packed, float beta, float *c, long ldc);
/// `ftw_sgemm_skinny_packed` in the build for `isa`.
void ftw_sgemm_skinny_packed_on(ftw_isa isa, long m, long s0, long s1, long n, long k, float alpha, const float *a,
                                long lda, const float *packed, float beta, float *c, long ldc);

/// Pairs (32-bit words of two bfloat16 values) of a `[k, n]` matrix packed by
/// `ftw_skinny_pack_bf16`.
long ftw_skinny_packed_count_bf16(long k, long n);

/// Packs the row-major `[k, n]` matrix `b` (rows `ldb` apart), rounded to bfloat16, into column
/// strips of 16, each `ceil(k / 2)` rows of 16 pairs of steps (zero past column `n`, and in the high
/// half of the last pair when `k` is odd): `packed[(s * pairs + q) * 16 + j] = (b[2q, 16 s + j],
/// b[2q + 1, 16 s + j])`.
void ftw_skinny_pack_bf16(const float *b, long k, long n, long ldb, unsigned int *packed);

/// `ftw_sgemm_skinny_packed` in bfloat16 (where `ftw_bf16_available()`; aborts elsewhere): B
/// packed by `ftw_skinny_pack_bf16`, A's rows rounded to bfloat16 as the product starts, every sum
/// in single precision.
void ftw_sgemm_skinny_packed_bf16(long m, long s0, long s1, long n, long k, float alpha, const float *a, long lda,
                                  const unsigned int *packed, float beta, float *c, long ldc);

#endif
