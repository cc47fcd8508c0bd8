#ifndef CFTWKERNELS_GEMM_H
#define CFTWKERNELS_GEMM_H

#include "CPUFeatures.h"

/// A row-major single-precision product `C = alpha * op(A) · op(B) + beta * C`, `op(A)` of `m x k`
/// and `op(B)` of `k x n`; `op` transposes when `transpose_a` / `transpose_b` is 1. With
/// `beta == 0`, C is not read.
typedef struct {
  int transpose_a, transpose_b;
  long m, n, k;
  float alpha, beta;
  const float *a;
  long lda;
  const float *b;
  long ldb;
  float *c;
  long ldc;
} ftw_gemm;

/// Rows `[m0, m1)` and columns `[n0, n1)` of `product`'s C, on one thread: blocks of op(B) of
/// `ftw_sgemm_depth_block` rows by `ftw_sgemm_column_block` columns are packed so that they stay
/// in L2, slivers of op(A) of one tile's rows so that they stay in L1, and the register tile runs
/// over them (Tile.h). Blocks of C that do not overlap may run on different threads at once.
void ftw_sgemm_block(const ftw_gemm *product, long m0, long m1, long n0, long n1);
/// `ftw_sgemm_block` in the build for `isa`.
void ftw_sgemm_block_on(ftw_isa isa, const ftw_gemm *product, long m0, long m1, long n0, long n1);

/// `ftw_sgemm_block` with op(A) and op(B) rounded to bfloat16 as they are packed, multiplied in
/// pairs with single-precision sums (`vdpbf16ps`), on AVX-512's 14x32 tile; C, alpha and beta in
/// single precision. Only where `ftw_bf16_available()`; aborts elsewhere.
void ftw_sgemm_block_bf16(const ftw_gemm *product, long m0, long m1, long n0, long n1);

/// Rows of the register tile of the build for `isa` (14 on AVX-512, 6 on AVX2, 3 on the baseline).
long ftw_sgemm_tile_rows(ftw_isa isa);
/// Columns of the register tile of the build for `isa` (32 on AVX-512, 16 elsewhere).
long ftw_sgemm_tile_columns(ftw_isa isa);
/// Rows of op(B) packed at once in the build for `isa`: a sliver of op(A) (the tile's rows by this
/// depth) fills 7/8 of the L1 data cache, so that C's tiles are read and written as few times as
/// the sliver allows (at most 768).
long ftw_sgemm_depth_block(ftw_isa isa);
/// Columns of op(B) packed at once in the build for `isa`: the packed block fills L2.
long ftw_sgemm_column_block(ftw_isa isa);

#endif
