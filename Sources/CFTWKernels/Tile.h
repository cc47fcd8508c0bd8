// The register tile every fp32 product of the package runs on (the GEMM's blocks and the three
// products of a convolution): `rows` rows of C by `strips` strips of 16 columns, kept in vector
// registers while the product's depth streams through them. Each caller picks the rows of its
// build's tile (Gemm.c, Convolution.c); a strip is one AVX-512 register, two AVX registers or four
// SSE registers, and a tile has two strips on AVX-512 and one elsewhere.
#ifndef CFTWKERNELS_TILE_H
#define CFTWKERNELS_TILE_H

#include <stddef.h>

#include "CPU.h"

/// Columns of one strip: one AVX-512 register.
enum { TILE_STRIP = 16, TILE_MAX_ROWS = 14, TILE_MAX_STRIPS = 2 };

FTW_INLINE int tile_strips(ftw_isa isa) { return isa == FTW_ISA_AVX512 ? 2 : 1; }
/// Columns of the whole tile.
FTW_INLINE int tile_columns(ftw_isa isa) { return TILE_STRIP * tile_strips(isa); }

// Writes the accumulators of a tile of `rows` rows and `strips` strips (constants after inlining),
// `acc[i * stride + s]`, as C = alpha * acc + beta * C + bias[j]; with `beta == 0` C is not read,
// `bias` may be NULL.
FTW_INLINE void tile_store(int rows, int strips, const ftw_v16 *acc, int stride, float *c, long ldc, float alpha,
                           float beta, const float *bias) {
#pragma clang loop unroll(full)
  for (int i = 0; i < rows; i++) {
#pragma clang loop unroll(full)
    for (int s = 0; s < strips; s++) {
      ftw_v16 *target = (ftw_v16 *)(c + i * ldc + s * TILE_STRIP);
      ftw_v16 value = alpha == 1.0f ? acc[i * stride + s] : acc[i * stride + s] * alpha;
      if (beta == 1.0f) {
        value += *target;
      } else if (beta != 0.0f) {
        value += *target * beta;
      }
      if (bias) value += *(const ftw_v16 *)(bias + s * TILE_STRIP);
      *target = value;
    }
  }
}

// Copies the top-left `rows x columns` block of a tile computed into `buffer` (rows
// `TILE_BUFFER_WIDTH` apart) to C as `tile_store` writes it (only `bias[0..<columns]` read).
enum { TILE_BUFFER_WIDTH = TILE_MAX_STRIPS * TILE_STRIP };
FTW_INLINE void tile_store_block(const float *buffer, float *c, long ldc, long rows, long columns, float alpha,
                                 float beta, const float *bias) {
  for (long i = 0; i < rows; i++) {
    for (long j = 0; j < columns; j++) {
      float *target = c + i * ldc + j;
      float value = alpha * buffer[i * TILE_BUFFER_WIDTH + j];
      if (beta != 0.0f) value += beta * *target;
      *target = bias ? value + bias[j] : value;
    }
  }
}

// The tile C[rows, 16 * strips] = alpha * sum_p A(i, p) B(p, j) + beta * C + bias[j], with
// A(i, p) = a[i * ars + p * acs] and B(p, 16 s + j) = b[s * bss + p * ldb + j] (`rows` and `strips`
// constants after inlining). With `beta == 0` C is not read; `bias` may be NULL.
FTW_INLINE void tile_body(int rows, int strips, long depth, const float *a, long ars, long acs, const float *b,
                          long bss, long ldb, float *c, long ldc, float alpha, float beta, const float *bias) {
  ftw_v16 acc[TILE_MAX_ROWS][TILE_MAX_STRIPS];
  const float *row[TILE_MAX_ROWS];
#pragma clang loop unroll(full)
  for (int i = 0; i < rows; i++) {
    row[i] = a + i * ars;
    acc[i][0] = acc[i][1] = (ftw_v16){0};
  }
  long offset = 0;
  for (long p = 0; p < depth; p++, offset += acs, b += ldb) {
    ftw_v16 y0 = *(const ftw_v16 *)b, y1 = strips > 1 ? *(const ftw_v16 *)(b + bss) : (ftw_v16){0};
#pragma clang loop unroll(full)
    for (int i = 0; i < rows; i++) {
      float x = row[i][offset];
      acc[i][0] += y0 * x;
      if (strips > 1) acc[i][1] += y1 * x;
    }
  }
  tile_store(rows, strips, &acc[0][0], TILE_MAX_STRIPS, c, ldc, alpha, beta, bias);
}

// The AVX2 build's tile as a function of its own. Inlined into the GEMM's loops, clang carried its
// twelve accumulators through 6 to 12 register moves a step (and a spill): 77 GFLOP/s on one Zen 3
// core at 1024^3, 87-90 out of line. The AVX-512 build's inlined loops have no such moves, and the
// baseline's ran slower out of line (46 against 37 GFLOP/s on two cores): both stay inline.
#define TILE_PARAMETERS                                                                                   \
  long depth, const float *a, long ars, long acs, const float *b, long bss, long ldb, float *c, long ldc, \
      float alpha, float beta, const float *bias
#define TILE_ARGUMENTS depth, a, ars, acs, b, bss, ldb, c, ldc, alpha, beta, bias
__attribute__((target("avx2,fma"), noinline)) static inline void tile_6x16_avx2(TILE_PARAMETERS) {
  tile_body(6, 1, TILE_ARGUMENTS);
}
// `tile_body` for the build's tile of `mr` rows and `two` strips or one (constants after inlining;
// every AVX2 tile has 6 rows).
FTW_INLINE void tile_of_build(ftw_isa isa, int mr, int two, TILE_PARAMETERS) {
  if (isa == FTW_ISA_AVX2) {
    tile_6x16_avx2(TILE_ARGUMENTS);
  } else if (two) {
    tile_body(mr, 2, TILE_ARGUMENTS);
  } else {
    tile_body(mr, 1, TILE_ARGUMENTS);
  }
}

// The build's tile of `mr` rows (a constant after inlining) over `depth` with `strips` strips (1 or
// 2, at most the build's), written to a block of `rows <= mr` rows and `columns <= 16 * strips`
// columns of C as `tile_body` writes it: straight into C when whole, else through a buffer of
// which only the block is copied. A's rows past `rows` are read and must be readable.
FTW_INLINE void run_tile(ftw_isa isa, int mr, int strips, long depth, const float *a, long ars, long acs, const float *b,
                         long bss, long ldb, float *c, long ldc, long rows, long columns, float alpha, float beta,
                         const float *bias) {
  const int two = tile_strips(isa) > 1 && strips > 1;
  if (rows == mr && columns == TILE_STRIP * strips) {
    tile_of_build(isa, mr, two, TILE_ARGUMENTS);
    return;
  }
  float buffer[TILE_MAX_ROWS * TILE_BUFFER_WIDTH] __attribute__((aligned(64)));
  tile_of_build(isa, mr, two, depth, a, ars, acs, b, bss, ldb, buffer, TILE_BUFFER_WIDTH, 1.0f, 0.0f, NULL);
  tile_store_block(buffer, c, ldc, rows, columns, alpha, beta, bias);
}

#undef TILE_PARAMETERS
#undef TILE_ARGUMENTS

#endif
