#ifndef CFTWKERNELS_H
#define CFTWKERNELS_H

#include <stddef.h>

/// Rows of the register tile computed by `ftw_sgemm_microkernel`.
#define FTW_GEMM_MR 6
/// Columns of the register tile computed by `ftw_sgemm_microkernel`.
#define FTW_GEMM_NR 16

/// C[0..<MR, 0..<NR] += alpha * A * B over `kc` steps.
///
/// `a` is a packed sliver of A: `kc` groups of `FTW_GEMM_MR` values (column p of the sliver at a[p*MR]).
/// `b` is a packed sliver of B: `kc` groups of `FTW_GEMM_NR` values (row p of the sliver at b[p*NR]).
/// `c` is row-major with leading dimension `ldc`; all MR x NR values are read and written.
void ftw_sgemm_microkernel(long kc, const float *a, const float *b, float *c, long ldc, float alpha);

/// The instruction set the micro-kernel was dispatched to on this CPU: "avx2+fma" or "generic".
const char *ftw_sgemm_microkernel_isa(void);

#endif


#ifndef CFTWKERNELS_SKINNY_H
#define CFTWKERNELS_SKINNY_H
/// The most rows `ftw_sgemm_skinny` takes.
#define FTW_SKINNY_MAX_M 8
/// The most rows for which it beats a packing GEMM when B is not transposed (measured).
#define FTW_SKINNY_MAX_M_NN 4

/// Columns `[n0, n1)` of row-major `C[m, n] = alpha * A[m, k] · op(B) + beta * C` for
/// `m <= FTW_SKINNY_MAX_M`, streaming B once without packing it. `op(B)` is `B [k, n]`, or with
/// `transpose_b` the transpose of `B [n, k]`. With `beta == 0`, C is not read.
void ftw_sgemm_skinny(int transpose_b, long m, long n0, long n1, long k, float alpha, const float *a, long lda,
                      const float *b, long ldb, float beta, float *c, long ldc);
#endif
