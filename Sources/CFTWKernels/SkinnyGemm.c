// Products with few rows (an RNN or acting step: a small batch against a weight matrix). A packing
// GEMM copies the whole weight matrix for every call, which costs about as much as the arithmetic;
// these loops read it straight from memory into register tiles. Built for AVX-512, AVX2+FMA and
// the baseline (CPU.h); the AVX-512 build has a tile of its own for an untransposed B.
#include "CPU.h"
#include "SkinnyGemm.h"
#include "Tile.h"

enum { NN_ROWS = 2, NT_ROWS = 4, NT_COLUMNS = 3, WIDE_ROWS = 8, WIDE_STRIPS = 4, WIDE_DEPTH = 256, PREFETCH_ROWS = 24 };

FTW_INLINE float scaled(float value, const float *c, float alpha, float beta) {
  return beta == 0.0f ? alpha * value : alpha * value + beta * *c;
}

// Rows [0, rows) and columns [n0, n1) of C = alpha A B + beta C, `rows` 1 or 2 (a constant after
// inlining): C scaled first, then B streamed four rows at a time, in order, into those rows of C,
// which stay in L1. Each vector of B loaded serves both rows.
FTW_INLINE void nn_rows(int rows, long n0, long n1, long k, float alpha,
                        const float *a, long lda, const float *b, long ldb,
                        float beta, float *c, long ldc) {
  long width = n1 - n0, vectors = width / 8;
  for (int i = 0; i < rows; i++) {
    float *ci = c + i * ldc + n0;
    for (long j = 0; j < width; j++) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
  }
  long p = 0;
  for (; p + 4 <= k; p += 4) {
    const float *b0 = b + p * ldb + n0, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
    float x[2][4];
    for (int i = 0; i < rows; i++)
      for (int q = 0; q < 4; q++) x[i][q] = alpha * a[i * lda + p + q];
    for (long v = 0; v < vectors; v++) {
      ftw_v8 y0 = *(const ftw_v8 *)(b0 + 8 * v), y1 = *(const ftw_v8 *)(b1 + 8 * v);
      ftw_v8 y2 = *(const ftw_v8 *)(b2 + 8 * v), y3 = *(const ftw_v8 *)(b3 + 8 * v);
      for (int i = 0; i < rows; i++) {
        ftw_v8 *target = (ftw_v8 *)(c + i * ldc + n0 + 8 * v);
        *target += y0 * x[i][0] + y1 * x[i][1] + y2 * x[i][2] + y3 * x[i][3];
      }
    }
    for (long j = 8 * vectors; j < width; j++)
      for (int i = 0; i < rows; i++)
        c[i * ldc + n0 + j] += b0[j] * x[i][0] + b1[j] * x[i][1] + b2[j] * x[i][2] + b3[j] * x[i][3];
  }
  for (; p < k; p++) {
    const float *row = b + p * ldb + n0;
    for (int i = 0; i < rows; i++) {
      float x = alpha * a[i * lda + p];
      float *ci = c + i * ldc + n0;
      for (long j = 0; j < width; j++) ci[j] += row[j] * x;
    }
  }
}

// Rows [0, rows) and columns [j0, j0 + columns) of C = alpha A Bᵀ + beta C: dot products, each
// kept as 8 partial sums along k and added up at the end.
FTW_INLINE void nt_tile(int rows, int columns, long j0, long k, float alpha,
                        const float *a, long lda, const float *b, long ldb,
                        float beta, float *c, long ldc) {
  ftw_v8 acc[NT_ROWS][NT_COLUMNS];
  float tail[NT_ROWS][NT_COLUMNS];
  for (int i = 0; i < rows; i++) {
    for (int j = 0; j < columns; j++) {
      acc[i][j] = (ftw_v8){0};
      tail[i][j] = 0;
    }
  }
  long p = 0;
  for (; p + 8 <= k; p += 8) {
    ftw_v8 y[NT_COLUMNS];
    for (int j = 0; j < columns; j++) y[j] = *(const ftw_v8 *)(b + (j0 + j) * ldb + p);
    for (int i = 0; i < rows; i++) {
      ftw_v8 x = *(const ftw_v8 *)(a + i * lda + p);
      for (int j = 0; j < columns; j++) acc[i][j] += x * y[j];
    }
  }
  for (; p < k; p++)
    for (int i = 0; i < rows; i++)
      for (int j = 0; j < columns; j++) tail[i][j] += a[i * lda + p] * b[(j0 + j) * ldb + p];
  for (int i = 0; i < rows; i++) {
    for (int j = 0; j < columns; j++) {
      float sum = tail[i][j];
      for (int q = 0; q < 8; q++) sum += acc[i][j][q];
      float *target = c + i * ldc + j0 + j;
      *target = scaled(sum, target, alpha, beta);
    }
  }
}

// Columns [n0, n1) of C = alpha A Bᵀ + beta C for `rows <= NT_ROWS` rows.
FTW_INLINE void nt_rows(int rows, long n0, long n1, long k, float alpha,
                        const float *a, long lda, const float *b, long ldb,
                        float beta, float *c, long ldc) {
  long j = n0;
  for (; j + NT_COLUMNS <= n1; j += NT_COLUMNS) nt_tile(rows, NT_COLUMNS, j, k, alpha, a, lda, b, ldb, beta, c, ldc);
  for (; j < n1; j++) nt_tile(rows, 1, j, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// Rows [0, rows) of C[:, j0 ..< j0 + 16 strips] += alpha * A[:, 0 ..< depth] · B[0 ..< depth, same
// columns] on AVX-512: one register per row and strip of 16 columns (`rows` and `strips` constants
// after inlining, rows * strips <= 16), each vector of B loaded once for all the rows.
FTW_INLINE void wide_tile(int rows, int strips, long j0, long depth, float alpha, const float *a, long lda,
                          const float *b, long ldb, float *c, long ldc) {
  ftw_v16 acc[WIDE_ROWS][WIDE_STRIPS];
  const float *row[WIDE_ROWS];
#pragma clang loop unroll(full)
  for (int i = 0; i < rows; i++) {
    row[i] = a + i * lda;
#pragma clang loop unroll(full)
    for (int s = 0; s < strips; s++) acc[i][s] = (ftw_v16){0};
  }
  b += j0;
  for (long p = 0; p < depth; p++, b += ldb) {
    ftw_v16 y[WIDE_STRIPS];
#pragma clang loop unroll(full)
    for (int s = 0; s < strips; s++) {
      __builtin_prefetch(b + PREFETCH_ROWS * ldb + 16 * s);
      y[s] = *(const ftw_v16 *)(b + 16 * s);
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < rows; i++) {
      float x = row[i][p];
#pragma clang loop unroll(full)
      for (int s = 0; s < strips; s++) acc[i][s] += y[s] * x;
    }
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < rows; i++) {
#pragma clang loop unroll(full)
    for (int s = 0; s < strips; s++) *(ftw_v16 *)(c + i * ldc + j0 + 16 * s) += acc[i][s] * alpha;
  }
}

// Columns [j0, j1) (whole strips of 16) of `rows` rows (a constant after inlining): tiles of as
// many strips as keep 16 accumulators, then the strips left over.
FTW_INLINE void wide_rows(int rows, long j0, long j1, long depth, float alpha, const float *a, long lda,
                          const float *b, long ldb, float *c, long ldc) {
  const int strips = rows > 4 ? 2 : WIDE_STRIPS;
  long j = j0;
  for (; j + 16 * strips <= j1; j += 16 * strips) wide_tile(rows, strips, j, depth, alpha, a, lda, b, ldb, c, ldc);
  switch ((j1 - j) / 16) {
  case 3: wide_tile(rows, 3, j, depth, alpha, a, lda, b, ldb, c, ldc); break;
  case 2: wide_tile(rows, 2, j, depth, alpha, a, lda, b, ldb, c, ldc); break;
  case 1: wide_tile(rows, 1, j, depth, alpha, a, lda, b, ldb, c, ldc); break;
  default: break;
  }
}

// Columns [n0, n1) of C = alpha A B + beta C on AVX-512 (best up to FTW_SKINNY_MAX_M_WIDE rows): C
// scaled first; then, a block of WIDE_DEPTH rows of B at a time (kept in L2 while every group of 8
// rows of A reads it), register tiles over the whole strips of 16 columns; the last columns
// through `nn_rows`.
FTW_INLINE void nn_wide(long m, long n0, long n1, long k, float alpha, const float *a, long lda, const float *b,
                        long ldb, float beta, float *c, long ldc) {
  long strips_end = n0 + (n1 - n0) / 16 * 16;
  for (long i = 0; i < m; i++) {
    float *ci = c + i * ldc;
    for (long j = n0; j < n1; j++) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
  }
  for (long p0 = 0; p0 < k; p0 += WIDE_DEPTH) {
    long depth = k - p0 < WIDE_DEPTH ? k - p0 : WIDE_DEPTH;
    const float *bp = b + p0 * ldb;
    for (long i0 = 0; i0 < m; i0 += WIDE_ROWS) {
      const float *ai = a + i0 * lda + p0;
      float *ci = c + i0 * ldc;
      switch (m - i0 < WIDE_ROWS ? m - i0 : WIDE_ROWS) {
      case 8: wide_rows(8, n0, strips_end, depth, alpha, ai, lda, bp, ldb, ci, ldc); break;
      case 7: wide_rows(7, n0, strips_end, depth, alpha, ai, lda, bp, ldb, ci, ldc); break;
      case 6: wide_rows(6, n0, strips_end, depth, alpha, ai, lda, bp, ldb, ci, ldc); break;
      case 5: wide_rows(5, n0, strips_end, depth, alpha, ai, lda, bp, ldb, ci, ldc); break;
      case 4: wide_rows(4, n0, strips_end, depth, alpha, ai, lda, bp, ldb, ci, ldc); break;
      case 3: wide_rows(3, n0, strips_end, depth, alpha, ai, lda, bp, ldb, ci, ldc); break;
      case 2: wide_rows(2, n0, strips_end, depth, alpha, ai, lda, bp, ldb, ci, ldc); break;
      default: wide_rows(1, n0, strips_end, depth, alpha, ai, lda, bp, ldb, ci, ldc); break;
      }
    }
  }
  if (strips_end == n1) return;
  for (long i0 = 0; i0 < m; i0 += NN_ROWS) {
    if (m - i0 >= 2) {
      nn_rows(2, strips_end, n1, k, alpha, a + i0 * lda, lda, b, ldb, 1.0f, c + i0 * ldc, ldc);
    } else {
      nn_rows(1, strips_end, n1, k, alpha, a + i0 * lda, lda, b, ldb, 1.0f, c + i0 * ldc, ldc);
    }
  }
}

FTW_INLINE void sgemm_skinny_body(ftw_isa isa, int transpose_b, long m, long n0, long n1, long k,
                                  float alpha, const float *a, long lda,
                                  const float *b, long ldb, float beta, float *c,
                                  long ldc) {
  // The rows of C in groups, each through code specialised for the group's row count.
  if (!transpose_b && isa == FTW_ISA_AVX512) {
    nn_wide(m, n0, n1, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else if (transpose_b) {
    for (long i0 = 0; i0 < m; i0 += NT_ROWS) {
      const float *ai = a + i0 * lda;
      float *ci = c + i0 * ldc;
      switch (m - i0 < NT_ROWS ? m - i0 : NT_ROWS) {
      case 4: nt_rows(4, n0, n1, k, alpha, ai, lda, b, ldb, beta, ci, ldc); break;
      case 3: nt_rows(3, n0, n1, k, alpha, ai, lda, b, ldb, beta, ci, ldc); break;
      case 2: nt_rows(2, n0, n1, k, alpha, ai, lda, b, ldb, beta, ci, ldc); break;
      default: nt_rows(1, n0, n1, k, alpha, ai, lda, b, ldb, beta, ci, ldc); break;
      }
    }
  } else {
    for (long i0 = 0; i0 < m; i0 += NN_ROWS) {
      if (m - i0 >= 2) {
        nn_rows(2, n0, n1, k, alpha, a + i0 * lda, lda, b, ldb, beta, c + i0 * ldc, ldc);
      } else {
        nn_rows(1, n0, n1, k, alpha, a + i0 * lda, lda, b, ldb, beta, c + i0 * ldc, ldc);
      }
    }
  }
}

FTW_DISPATCH(sgemm_skinny,
             (int transpose_b, long m, long n0, long n1, long k, float alpha, const float *a, long lda,
              const float *b, long ldb, float beta, float *c, long ldc),
             (transpose_b, m, n0, n1, k, alpha, a, lda, b, ldb, beta, c, ldc))

long ftw_sgemm_skinny_max_rows(int transpose_b) {
  if (transpose_b) return FTW_SKINNY_MAX_M;
  return ftw_kernel_isa() == FTW_ISA_AVX512 ? FTW_SKINNY_MAX_M_WIDE : FTW_SKINNY_MAX_M;
}

long ftw_skinny_packed_count(long k, long n) { return (n + 15) / 16 * 16 * k; }

void ftw_skinny_pack(const float *b, long k, long n, long ldb, float *packed) {
  for (long j0 = 0; j0 < n; j0 += 16) {
    long width = n - j0 < 16 ? n - j0 : 16;
    for (long p = 0; p < k; p++, packed += 16) {
      const float *row = b + p * ldb + j0;
      for (long j = 0; j < width; j++) packed[j] = row[j];
      for (long j = width; j < 16; j++) packed[j] = 0;
    }
  }
}

// The rows of A a packed tile takes at once in the build for `isa`, and the strips for `rows` rows:
// at most 16 accumulators on AVX-512 (16 rows x 1 strip, 8 x 2, 4 x 4), 12 registers' worth on
// AVX2 (6 x 1, 2 x 2) and 8 on the baseline (2 x 1), beside the strips' loads.
FTW_INLINE int packed_group_rows(ftw_isa isa) { return isa == FTW_ISA_AVX512 ? 16 : isa == FTW_ISA_AVX2 ? 6 : 2; }

FTW_INLINE int packed_strips(ftw_isa isa, int rows) {
  if (isa == FTW_ISA_AVX512) return rows <= 4 ? 4 : rows <= 8 ? 2 : 1;
  return isa == FTW_ISA_AVX2 && rows <= 2 ? 2 : 1;
}

// Rows [0, rows) and strips [s, s + strips) of C = alpha A B + beta C over the steps [p0, p1) of
// B packed in strips (`ftw_skinny_pack`): each strip a contiguous run of k rows of 16, read in
// order (`rows` and `strips` constants after inlining). `columns` of the tile's are in C.
FTW_INLINE void packed_tile(int rows, int strips, long s, long k, long p0, long p1, float alpha, const float *a,
                            long lda, const float *packed, float beta, float *c, long ldc, long columns) {
  ftw_v16 acc[16][4];
  const float *strip = packed + s * k * 16;
#pragma clang loop unroll(full)
  for (int i = 0; i < rows; i++) {
#pragma clang loop unroll(full)
    for (int t = 0; t < strips; t++) acc[i][t] = (ftw_v16){0};
  }
  for (long p = p0; p < p1; p++) {
    ftw_v16 y[4];
#pragma clang loop unroll(full)
    for (int t = 0; t < strips; t++) y[t] = *(const ftw_v16 *)(strip + (t * k + p) * 16);
#pragma clang loop unroll(full)
    for (int i = 0; i < rows; i++) {
      float x = a[i * lda + p];
#pragma clang loop unroll(full)
      for (int t = 0; t < strips; t++) acc[i][t] += y[t] * x;
    }
  }
  float *target = c + s * 16;
  if (columns == 16 * strips) return tile_store(rows, strips, &acc[0][0], 4, target, ldc, alpha, beta, NULL);
  for (int i = 0; i < rows; i++) {
    for (long j = 0; j < columns; j++) {
      float value = alpha * acc[i][j / 16][j % 16];
      target[i * ldc + j] = beta == 0.0f ? value : value + beta * target[i * ldc + j];
    }
  }
}

// Strips [s0, s1) of a group of `rows` rows (a constant after inlining) over the steps [p0, p1):
// tiles of the build's strips for that many rows, then single strips.
FTW_INLINE void packed_rows(ftw_isa isa, int rows, long s0, long s1, long n, long k, long p0, long p1, float alpha,
                            const float *a, long lda, const float *packed, float beta, float *c, long ldc) {
  const int strips = packed_strips(isa, rows);
  long s = s0;
  for (; s + strips <= s1; s += strips) {
    long columns = n - 16 * s < 16 * strips ? n - 16 * s : 16 * strips;
    packed_tile(rows, strips, s, k, p0, p1, alpha, a, lda, packed, beta, c, ldc, columns);
  }
  for (; s < s1; s++) {
    long columns = n - 16 * s < 16 ? n - 16 * s : 16;
    packed_tile(rows, 1, s, k, p0, p1, alpha, a, lda, packed, beta, c, ldc, columns);
  }
}

// Blocks of WIDE_DEPTH steps, as `nn_wide` sums them (so that both give the same bits), each block
// of the strips read by every group of the build's rows while it is in L2; the first block applies
// beta, the later ones add.
FTW_INLINE void sgemm_skinny_packed_body(ftw_isa isa, long m, long s0, long s1, long n, long k, float alpha,
                                         const float *a, long lda, const float *packed, float beta, float *c,
                                         long ldc) {
  const int group = packed_group_rows(isa);
  for (long p0 = 0; p0 < k; p0 += WIDE_DEPTH) {
    long p1 = k - p0 < WIDE_DEPTH ? k : p0 + WIDE_DEPTH;
    float block_beta = p0 == 0 ? beta : 1.0f;
    for (long i0 = 0; i0 < m; i0 += group) {
      const float *ai = a + i0 * lda;
      float *ci = c + i0 * ldc;
#define FTW_PACKED_ROWS(r) \
  case r: packed_rows(isa, r, s0, s1, n, k, p0, p1, alpha, ai, lda, packed, block_beta, ci, ldc); break;
      switch (m - i0 < group ? m - i0 : group) {
        FTW_PACKED_ROWS(16) FTW_PACKED_ROWS(15) FTW_PACKED_ROWS(14) FTW_PACKED_ROWS(13) FTW_PACKED_ROWS(12)
        FTW_PACKED_ROWS(11) FTW_PACKED_ROWS(10) FTW_PACKED_ROWS(9) FTW_PACKED_ROWS(8) FTW_PACKED_ROWS(7)
        FTW_PACKED_ROWS(6) FTW_PACKED_ROWS(5) FTW_PACKED_ROWS(4) FTW_PACKED_ROWS(3) FTW_PACKED_ROWS(2)
        default: packed_rows(isa, 1, s0, s1, n, k, p0, p1, alpha, ai, lda, packed, block_beta, ci, ldc); break;
      }
#undef FTW_PACKED_ROWS
    }
  }
}

FTW_DISPATCH(sgemm_skinny_packed,
             (long m, long s0, long s1, long n, long k, float alpha, const float *a, long lda, const float *packed,
              float beta, float *c, long ldc),
             (m, s0, s1, n, k, alpha, a, lda, packed, beta, c, ldc))
