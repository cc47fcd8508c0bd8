#ifndef CFTWKERNELS_GEMM_MICROKERNEL_H
#define CFTWKERNELS_GEMM_MICROKERNEL_H

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

/// The instruction set the micro-kernel was dispatched to on this CPU: "avx512", "avx2+fma" or
/// "generic".
const char *ftw_sgemm_microkernel_isa(void);

#endif
