// The small-M product against weights packed in strips (SkinnyGemm.c) in bfloat16 (Bfloat16.h):
// the weights packed once as pairs of bfloat16 steps, half the bytes to stream per product, the
// few rows of A rounded to pairs as each product starts, and AVX-512's tile running `vdpbf16ps`.
#include <stdlib.h>

#include "Bfloat16.h"
#include "Packing.h"
#include "SkinnyGemm.h"

enum { STRIP = TILE_STRIP, MAX_ROWS = TILE_MAX_ROWS };

long ftw_skinny_packed_count_bf16(long k, long n) { return (n + STRIP - 1) / STRIP * STRIP * ((k + 1) / 2); }

void ftw_skinny_pack_bf16(const float *b, long k, long n, long ldb, unsigned int *packed) {
  long pairs = (k + 1) / 2;
  for (long j0 = 0; j0 < n; j0 += STRIP) {
    long width = n - j0 < STRIP ? n - j0 : STRIP;
    for (long q = 0; q < pairs; q++, packed += STRIP) {
      const float *first = b + 2 * q * ldb + j0;
      if (2 * q + 1 < k) {
        for (long j = 0; j < width; j++) packed[j] = bf16_pair(first[j], first[ldb + j]);
      } else {
        for (long j = 0; j < width; j++) packed[j] = bf16_rounded_bits(first[j]) >> 16;
      }
      for (long j = width; j < STRIP; j++) packed[j] = 0;
    }
  }
}

#if FTW_HAS_BF16_BUILD
// Strips [s0, s1) of `rows` rows (a constant after inlining) from A's pairs: tiles of two strips,
// then a single one; a strip whose columns run past `n` is written through `run_tile_bf16`'s buffer.
FTW_BF16 void skinny_rows_bf16(int rows, long s0, long s1, long n, long pairs, float alpha,
                               const ftw_bf16_pair *a, const ftw_bf16_pair *packed, float beta, float *c, long ldc) {
  for (long s = s0; s < s1; s += 2) {
    int strips = s + 1 < s1 ? 2 : 1;
    long columns = n - STRIP * s < STRIP * strips ? n - STRIP * s : STRIP * strips;
    run_tile_bf16(rows, strips, pairs, a, pairs, 1, packed + s * pairs * STRIP, pairs * STRIP, STRIP, c + STRIP * s,
                  ldc, rows, columns, alpha, beta, NULL);
  }
}

FTW_BF16_TARGET static void sgemm_skinny_packed_bf16(long m, long s0, long s1, long n, long k, float alpha,
                                                     const float *a, long lda, const unsigned int *packed,
                                                     float beta, float *c, long ldc) {
  long pairs = (k + 1) / 2;
  ftw_bf16_pair *rows = (ftw_bf16_pair *)ftw_thread_buffer(m * pairs);
  for (long i = 0; i < m; i++) bf16_pairs_along(a + i * lda, k, rows + i * pairs);
  for (long i0 = 0; i0 < m; i0 += MAX_ROWS) {
    const ftw_bf16_pair *ai = rows + i0 * pairs;
    float *ci = c + i0 * ldc;
#define FTW_BF16_ROWS(r) \
  case r: skinny_rows_bf16(r, s0, s1, n, pairs, alpha, ai, packed, beta, ci, ldc); break;
    switch (m - i0 < MAX_ROWS ? m - i0 : MAX_ROWS) {
      FTW_BF16_ROWS(14) FTW_BF16_ROWS(13) FTW_BF16_ROWS(12) FTW_BF16_ROWS(11) FTW_BF16_ROWS(10) FTW_BF16_ROWS(9)
      FTW_BF16_ROWS(8) FTW_BF16_ROWS(7) FTW_BF16_ROWS(6) FTW_BF16_ROWS(5) FTW_BF16_ROWS(4) FTW_BF16_ROWS(3)
      FTW_BF16_ROWS(2)
      default: skinny_rows_bf16(1, s0, s1, n, pairs, alpha, ai, packed, beta, ci, ldc); break;
    }
#undef FTW_BF16_ROWS
  }
}
#endif

void ftw_sgemm_skinny_packed_bf16(long m, long s0, long s1, long n, long k, float alpha, const float *a, long lda,
                                  const unsigned int *packed, float beta, float *c, long ldc) {
  if (m <= 0 || s1 <= s0) return;
#if FTW_HAS_BF16_BUILD
  if (ftw_bf16_available()) return sgemm_skinny_packed_bf16(m, s0, s1, n, k, alpha, a, lda, packed, beta, c, ldc);
#endif
  abort();
}
