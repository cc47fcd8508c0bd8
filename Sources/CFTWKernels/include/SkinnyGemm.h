#ifndef CFTWKERNELS_SKINNY_GEMM_H
#define CFTWKERNELS_SKINNY_GEMM_H

/// The most rows `ftw_sgemm_skinny` takes.
#define FTW_SKINNY_MAX_M 8
/// The most rows for which it beats a packing GEMM when B is not transposed (`ftw bench gemm
/// --shapes` against OpenBLAS, per shape).
#define FTW_SKINNY_MAX_M_NN 8

/// Columns `[n0, n1)` of row-major `C[m, n] = alpha * A[m, k] · op(B) + beta * C` for
/// `m <= FTW_SKINNY_MAX_M`, streaming B once without packing it. `op(B)` is `B [k, n]`, or with
/// `transpose_b` the transpose of `B [n, k]`. With `beta == 0`, C is not read.
void ftw_sgemm_skinny(int transpose_b, long m, long n0, long n1, long k, float alpha, const float *a, long lda,
                      const float *b, long ldb, float beta, float *c, long ldc);

#endif
