// The package's blocked single-precision GEMM (BLIS's loop order, blocks sized from the caches):
// a block of op(B) is packed into slivers of the tile's columns and kept in L2; for each sliver of
// the tile's rows of op(A), packed and kept in L1, the register tile (Tile.h) runs across the whole
// block. Built for AVX-512, AVX2+FMA and the baseline (CPU.h).
#include <stdlib.h>

#include "Gemm.h"
#include "Packing.h"
#include "Tile.h"

// Rows of the GEMM's tile: 14 x 2 strips on AVX-512 (28 of the 32 registers are accumulators, so
// two FMA ports with a 4-cycle latency always have independent sums to work on), 6 x 1 strip on
// AVX2 (12 of 16), 3 x 1 strip of four SSE registers on the baseline (12 of 16).
FTW_INLINE int gemm_rows(ftw_isa isa) { return isa == FTW_ISA_AVX512 ? 14 : isa == FTW_ISA_AVX2 ? 6 : 3; }

FTW_INLINE long clamp(long value, long low, long high) { return value < low ? low : value > high ? high : value; }

long ftw_sgemm_tile_rows(ftw_isa isa) { return gemm_rows(ftw_isa_supported(isa)); }

long ftw_sgemm_tile_columns(ftw_isa isa) { return tile_columns(ftw_isa_supported(isa)); }

long ftw_sgemm_depth_block(ftw_isa isa) {
  long bytes_per_step = ftw_sgemm_tile_rows(isa) * (long)sizeof(float);
  return clamp(ftw_cache_bytes(1) * 7 / 8 / bytes_per_step / 16 * 16, 64, 768);
}

long ftw_sgemm_column_block(ftw_isa isa) {
  long columns = ftw_sgemm_tile_columns(isa);
  long bytes_per_column = ftw_sgemm_depth_block(isa) * (long)sizeof(float);
  return clamp(ftw_cache_bytes(2) / bytes_per_column / columns * columns, columns, 4096);
}

// `packed[p * mr + i] = op(A)(i0 + i, p0 + p)` for a sliver of `rows <= mr` rows and `depth`
// steps, zero in rows past `rows`.
FTW_INLINE void pack_a(int mr, const ftw_gemm *g, long i0, long rows, long p0, long depth, float *packed) {
  if (g->transpose_a) {
    pack_steps(g->a + p0 * g->lda + i0, g->lda, rows, mr, depth, packed);
  } else {
    pack_lines(g->a + i0 * g->lda + p0, g->lda, rows, mr, depth, packed);
  }
}

// Columns `[j0, j0 + columns)` of rows `[p0, p0 + depth)` of op(B) as slivers of `nr` columns,
// each `depth` rows of `nr` values (`packed[s * depth * nr + p * nr + j]`), zero past the last
// column.
FTW_INLINE void pack_b(long nr, const ftw_gemm *g, long p0, long depth, long j0, long columns, float *packed) {
  for (long s = 0; s < columns; s += nr, packed += depth * nr) {
    long width = columns - s < nr ? columns - s : nr;
    if (g->transpose_b) {
      pack_lines(g->b + (j0 + s) * g->ldb + p0, g->ldb, width, nr, depth, packed);
    } else {
      pack_steps(g->b + p0 * g->ldb + j0 + s, g->ldb, width, nr, depth, packed);
    }
  }
}

// Whether the tile reads op(A) where it lies rather than packed: when the rows (or, transposed,
// the steps) of A are not a multiple of 256 floats apart, so that a sliver's lines do not pile
// into a few cache sets.
FTW_INLINE int reads_in_place(const ftw_gemm *g) { return g->lda % 256 != 0; }

// C = beta * C over the block (a product with nothing to add).
FTW_INLINE void scale_block(const ftw_gemm *g, long m0, long m1, long n0, long n1) {
  for (long i = m0; i < m1; i++) {
    float *row = g->c + i * g->ldc;
    for (long j = n0; j < n1; j++) row[j] = g->beta == 0.0f ? 0.0f : g->beta * row[j];
  }
}

FTW_INLINE void sgemm_block_body(ftw_isa isa, const ftw_gemm *g, long m0, long m1, long n0, long n1) {
  if (m1 <= m0 || n1 <= n0) return;
  if (g->k == 0 || g->alpha == 0.0f) {
    scale_block(g, m0, m1, n0, n1);
    return;
  }
  const int mr = gemm_rows(isa);
  const long nr = tile_columns(isa), kc = ftw_sgemm_depth_block(isa), nc = ftw_sgemm_column_block(isa);
  float *packed_a = ftw_thread_buffer(mr * kc + kc * nc + 2 * PACK_SLACK), *packed_b = packed_a + mr * kc + PACK_SLACK;
  for (long jc = n0; jc < n1; jc += nc) {
    long columns = n1 - jc < nc ? n1 - jc : nc;
    for (long pc = 0; pc < g->k; pc += kc) {
      long depth = g->k - pc < kc ? g->k - pc : kc;
      // The first block of the depth applies beta; the later ones add to what it left.
      float beta = pc == 0 ? g->beta : 1.0f;
      pack_b(nr, g, pc, depth, jc, columns, packed_b);
      for (long ic = m0; ic < m1; ic += mr) {
        long rows = m1 - ic < mr ? m1 - ic : mr;
        // A whole sliver is read where it lies unless its rows would share cache sets; the last,
        // partial one is packed (the tile reads all `mr` rows).
        const float *sliver = packed_a;
        long ars = 1, acs = mr;
        if (rows == mr && reads_in_place(g)) {
          sliver = g->transpose_a ? g->a + pc * g->lda + ic : g->a + ic * g->lda + pc;
          ars = g->transpose_a ? 1 : g->lda;
          acs = g->transpose_a ? g->lda : 1;
        } else {
          pack_a(mr, g, ic, rows, pc, depth, packed_a);
        }
        for (long jr = 0; jr < columns; jr += nr) {
          long width = columns - jr < nr ? columns - jr : nr;
          run_tile(isa, mr, width > TILE_STRIP ? 2 : 1, depth, sliver, ars, acs, packed_b + jr * depth, TILE_STRIP,
                   nr, g->c + ic * g->ldc + jc + jr, g->ldc, rows, width, g->alpha, beta, NULL);
        }
      }
    }
  }
}

FTW_DISPATCH(sgemm_block, (const ftw_gemm *product, long m0, long m1, long n0, long n1),
             (product, m0, m1, n0, n1))

float *ftw_thread_buffer(long count) {
  static _Thread_local float *buffer;
  static _Thread_local long capacity;
  if (count > capacity) {
    free(buffer);
    void *block = NULL;
    if (posix_memalign(&block, 64, (size_t)count * sizeof(float)) != 0) abort();
    buffer = block;
    capacity = count;
  }
  return buffer;
}
