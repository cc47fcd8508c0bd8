// bfloat16 products for CPUs with AVX512_BF16: operands rounded to bfloat16 (the high 16 bits of
// a float, rounded to nearest even), multiplied in pairs by `vdpbf16ps` and summed in single
// precision. Only the AVX-512 build has them, so their functions carry FTW_BF16's target instead
// of going through FTW_DISPATCH.
//
// A "pair" is two bfloat16 values in one 32-bit word, the first in the low half: the operand
// `vdpbf16ps` multiplies lane by lane. A tile's A operand is read a pair at a time (two steps of
// the depth of one row) and broadcast; its B operand is 16 columns of pairs per register.
#ifndef CFTWKERNELS_BFLOAT16_H
#define CFTWKERNELS_BFLOAT16_H

#include <string.h>

#include "CPU.h"
#include "Tile.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define FTW_HAS_BF16_BUILD 1
#define FTW_BF16_TARGET __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx512bf16,avx2,fma")))
#else
#define FTW_HAS_BF16_BUILD 0
#define FTW_BF16_TARGET
#endif

/// A helper of the bfloat16 build, inlined into its callers.
#define FTW_BF16 static inline __attribute__((always_inline)) FTW_BF16_TARGET

/// Two bfloat16 values, the first in the low half.
typedef unsigned int ftw_bf16_pair;
/// Eight 32-bit words: pairs, or the bits of eight floats.
typedef unsigned int ftw_u8 __attribute__((vector_size(32), aligned(4)));

// The bits of `value` rounded to nearest even at bit 16: the high half is `value` as bfloat16
// (overflow rounds to infinity; a NaN whose payload is all in the low half becomes infinity).
FTW_INLINE unsigned int bf16_rounded_bits(float value) {
  unsigned int bits;
  memcpy(&bits, &value, sizeof bits);
  return bits + 0x7fffu + ((bits >> 16) & 1u);
}

// The pair (bfloat16(first), bfloat16(second)).
FTW_INLINE ftw_bf16_pair bf16_pair(float first, float second) {
  return (bf16_rounded_bits(first) >> 16) | (bf16_rounded_bits(second) & 0xffff0000u);
}

// `pairs[j] = (bfloat16(first[j]), bfloat16(second[j]))` for `count` columns of two rows; with
// `second` NULL the high halves are zero.
FTW_INLINE void bf16_interleave(const float *first, const float *second, long count, ftw_bf16_pair *pairs) {
  if (second) {
    for (long j = 0; j < count; j++) pairs[j] = bf16_pair(first[j], second[j]);
  } else {
    for (long j = 0; j < count; j++) pairs[j] = bf16_rounded_bits(first[j]) >> 16;
  }
}

// `pairs[q] = (bfloat16(row[2q]), bfloat16(row[2q + 1]))` for the `count` values of one row, the
// last pair's high half zero when `count` is odd.
FTW_INLINE void bf16_pairs_along(const float *row, long count, ftw_bf16_pair *pairs) {
  long q = 0;
  for (; 2 * q + 1 < count; q++) pairs[q] = bf16_pair(row[2 * q], row[2 * q + 1]);
  if (2 * q < count) pairs[q] = bf16_rounded_bits(row[2 * q]) >> 16;
}

#if FTW_HAS_BF16_BUILD
// The bfloat16 twin of `tile_body` (Tile.h): C[rows, 16 * strips] = alpha * sum_q A(i, q) · B(q, j)
// + beta * C + bias[j] over `pairs` pairs of steps, with the pair A(i, q) = a[i * ars + q * acs]
// and the 16 column pairs of strip s at step q at b + s * bss + q * ldb (in pairs).
FTW_BF16 void tile_bf16(int rows, int strips, long pairs, const ftw_bf16_pair *a, long ars, long acs,
                        const ftw_bf16_pair *b, long bss, long ldb, float *c, long ldc, float alpha, float beta,
                        const float *bias) {
  __m512 acc[TILE_MAX_ROWS][TILE_MAX_STRIPS];
  const ftw_bf16_pair *row[TILE_MAX_ROWS];
#pragma clang loop unroll(full)
  for (int i = 0; i < rows; i++) {
    row[i] = a + i * ars;
    acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  }
  long offset = 0;
  for (long q = 0; q < pairs; q++, offset += acs, b += ldb) {
    __m512bh y0 = (__m512bh)_mm512_loadu_si512(b);
    __m512bh y1 = strips > 1 ? (__m512bh)_mm512_loadu_si512(b + bss) : y0;
#pragma clang loop unroll(full)
    for (int i = 0; i < rows; i++) {
      __m512bh x = (__m512bh)_mm512_set1_epi32((int)row[i][offset]);
      acc[i][0] = _mm512_dpbf16_ps(acc[i][0], x, y0);
      if (strips > 1) acc[i][1] = _mm512_dpbf16_ps(acc[i][1], x, y1);
    }
  }
  ftw_v16 sums[TILE_MAX_ROWS][TILE_MAX_STRIPS];
#pragma clang loop unroll(full)
  for (int i = 0; i < rows; i++) {
    sums[i][0] = (ftw_v16)acc[i][0];
    sums[i][1] = (ftw_v16)acc[i][1];
  }
  tile_store(rows, strips, &sums[0][0], TILE_MAX_STRIPS, c, ldc, alpha, beta, bias);
}

// The bfloat16 twin of `run_tile` (Tile.h) on AVX-512's tiles of `mr` rows by 1 or 2 strips.
FTW_BF16 void run_tile_bf16(int mr, int strips, long pairs, const ftw_bf16_pair *a, long ars, long acs,
                            const ftw_bf16_pair *b, long bss, long ldb, float *c, long ldc, long rows, long columns,
                            float alpha, float beta, const float *bias) {
  if (rows == mr && columns == TILE_STRIP * strips) {
    if (strips > 1) {
      tile_bf16(mr, 2, pairs, a, ars, acs, b, bss, ldb, c, ldc, alpha, beta, bias);
    } else {
      tile_bf16(mr, 1, pairs, a, ars, acs, b, bss, ldb, c, ldc, alpha, beta, bias);
    }
    return;
  }
  float buffer[TILE_MAX_ROWS * TILE_BUFFER_WIDTH] __attribute__((aligned(64)));
  if (strips > 1) {
    tile_bf16(mr, 2, pairs, a, ars, acs, b, bss, ldb, buffer, TILE_BUFFER_WIDTH, 1.0f, 0.0f, NULL);
  } else {
    tile_bf16(mr, 1, pairs, a, ars, acs, b, bss, ldb, buffer, TILE_BUFFER_WIDTH, 1.0f, 0.0f, NULL);
  }
  tile_store_block(buffer, c, ldc, rows, columns, alpha, beta, bias);
}
#endif

#endif
