// The blocked GEMM of Gemm.c in bfloat16 (Bfloat16.h): the same loops and blocks, with op(A)'s
// slivers and op(B)'s blocks packed as pairs of bfloat16 steps (rounded to nearest even as they
// are packed) and the AVX-512 tile of 14 rows by 2 strips running `vdpbf16ps`. C, alpha and beta
// stay in single precision.
#include <stdlib.h>

#include "Bfloat16.h"
#include "Gemm.h"
#include "Packing.h"

#if FTW_HAS_BF16_BUILD
enum { BF16_ROWS = 14, BF16_COLUMNS = 32 };

// `packed[q * width + i] = (source[2q * stride + i], source[(2q + 1) * stride + i])` as pairs, for
// `lines <= width` values a step over `depth` steps, zero in `[lines, width)` and in the high half
// of the last pair when `depth` is odd.
FTW_BF16 void pack_pair_steps(const float *source, long stride, long lines, long width, long depth,
                              ftw_bf16_pair *packed) {
  for (long p = 0; p < depth; p += 2, source += 2 * stride, packed += width) {
    bf16_interleave(source, p + 1 < depth ? source + stride : NULL, lines, packed);
    for (long i = lines; i < width; i++) packed[i] = 0;
  }
}

// `packed[q * width + i] = (source[i * stride + 2q], source[i * stride + 2q + 1])` as pairs, for
// `lines <= width <= 32` lines over `depth` steps, zero in `[lines, width)`: blocks of 8 lines by 8
// pairs transposed in registers, as `pack_lines` (Packing.h) does for floats, with the same
// slack.
FTW_BF16 void pack_pair_lines(const float *source, long stride, long lines, long width, long depth,
                              ftw_bf16_pair *packed) {
  long groups = (width + 7) / 8, q = 0;
  for (; 2 * q + 16 <= depth; q += 8) {
    ftw_v8 block[4][8];
    for (long g = 0; g < groups; g++) {
      for (long i = 0; i < 8; i++) {
        long line = 8 * g + i;
        ftw_u8 words = {0};
        if (line < lines) {
          const float *steps = source + line * stride + 2 * q;
          for (int t = 0; t < 8; t++) words[t] = bf16_pair(steps[2 * t], steps[2 * t + 1]);
        }
        memcpy(&block[g][i], &words, sizeof words);
      }
      transpose8(block[g]);
    }
    for (long t = 0; t < 8; t++) {
      for (long g = 0; g < groups; g++) memcpy(packed + (q + t) * width + 8 * g, &block[g][t], sizeof(ftw_v8));
    }
  }
  for (; 2 * q < depth; q++) {
    for (long i = 0; i < width; i++) {
      const float *steps = source + i * stride + 2 * q;
      packed[q * width + i] = i >= lines ? 0 : 2 * q + 1 < depth ? bf16_pair(steps[0], steps[1])
                                                                   : bf16_rounded_bits(steps[0]) >> 16;
    }
  }
}

FTW_BF16 void pack_a_bf16(const ftw_gemm *g, long i0, long rows, long p0, long depth, ftw_bf16_pair *packed) {
  if (g->transpose_a) {
    pack_pair_steps(g->a + p0 * g->lda + i0, g->lda, rows, BF16_ROWS, depth, packed);
  } else {
    pack_pair_lines(g->a + i0 * g->lda + p0, g->lda, rows, BF16_ROWS, depth, packed);
  }
}

FTW_BF16 void pack_b_bf16(const ftw_gemm *g, long p0, long depth, long j0, long columns, ftw_bf16_pair *packed) {
  long pairs = (depth + 1) / 2;
  for (long s = 0; s < columns; s += BF16_COLUMNS, packed += pairs * BF16_COLUMNS) {
    long width = columns - s < BF16_COLUMNS ? columns - s : BF16_COLUMNS;
    if (g->transpose_b) {
      pack_pair_lines(g->b + (j0 + s) * g->ldb + p0, g->ldb, width, BF16_COLUMNS, depth, packed);
    } else {
      pack_pair_steps(g->b + p0 * g->ldb + j0 + s, g->ldb, width, BF16_COLUMNS, depth, packed);
    }
  }
}

FTW_BF16_TARGET static void sgemm_block_bf16(const ftw_gemm *g, long m0, long m1, long n0, long n1) {
  // Twice the fp32 depth: a sliver of pairs takes as many bytes as the fp32 one.
  const long kc = 2 * ftw_sgemm_depth_block(FTW_ISA_AVX512), nc = ftw_sgemm_column_block(FTW_ISA_AVX512);
  const long sliver = BF16_ROWS * kc / 2 + PACK_SLACK;
  ftw_bf16_pair *packed_a = (ftw_bf16_pair *)ftw_thread_buffer(sliver + kc / 2 * nc + PACK_SLACK);
  ftw_bf16_pair *packed_b = packed_a + sliver;
  for (long jc = n0; jc < n1; jc += nc) {
    long columns = n1 - jc < nc ? n1 - jc : nc;
    for (long pc = 0; pc < g->k; pc += kc) {
      long depth = g->k - pc < kc ? g->k - pc : kc, pairs = (depth + 1) / 2;
      float beta = pc == 0 ? g->beta : 1.0f;
      pack_b_bf16(g, pc, depth, jc, columns, packed_b);
      for (long ic = m0; ic < m1; ic += BF16_ROWS) {
        long rows = m1 - ic < BF16_ROWS ? m1 - ic : BF16_ROWS;
        pack_a_bf16(g, ic, rows, pc, depth, packed_a);
        for (long jr = 0; jr < columns; jr += BF16_COLUMNS) {
          long width = columns - jr < BF16_COLUMNS ? columns - jr : BF16_COLUMNS;
          run_tile_bf16(BF16_ROWS, width > TILE_STRIP ? 2 : 1, pairs, packed_a, 1, BF16_ROWS, packed_b + jr * pairs,
                        TILE_STRIP, BF16_COLUMNS, g->c + ic * g->ldc + jc + jr, g->ldc, rows, width, g->alpha, beta,
                        NULL);
        }
      }
    }
  }
}
#endif

void ftw_sgemm_block_bf16(const ftw_gemm *product, long m0, long m1, long n0, long n1) {
  if (m1 <= m0 || n1 <= n0) return;
#if FTW_HAS_BF16_BUILD
  if (ftw_bf16_available()) {
    if (product->k == 0 || product->alpha == 0.0f) {
      ftw_sgemm_block_on(FTW_ISA_AVX512, product, m0, m1, n0, n1);
    } else {
      sgemm_block_bf16(product, m0, m1, n0, n1);
    }
    return;
  }
#endif
  abort();
}
