// Products with few rows (an RNN or acting step: a small batch against a weight matrix). A packing
// GEMM copies the whole weight matrix for every call, which costs about as much as the arithmetic;
// these loops read it once, straight from memory. Compiled for AVX2+FMA and for the baseline,
// chosen at run time, like the micro-kernel.
#include "CFTWKernels.h"

typedef float ftw_v8s __attribute__((vector_size(32), aligned(4)));

static inline __attribute__((always_inline)) void store_row(float *c, float value, float alpha, float beta) {
  *c = beta == 0.0f ? alpha * value : alpha * value + beta * *c;
}

// C[i, j] = beta C[i, j] + alpha sum_p A[i, p] B[p, j]: C scaled first, then B streamed row by
// row (four at a time) into the m rows of C, which stay in L1; B is read once, in order.
static inline __attribute__((always_inline)) void skinny_nn(long m, long n0, long n1, long k, float alpha,
                                                            const float *a, long lda, const float *b, long ldb,
                                                            float beta, float *c, long ldc) {
  long width = n1 - n0;
  long vectors = width / 8;
  for (long i = 0; i < m; i++) {
    float *ci = c + i * ldc + n0;
    for (long j = 0; j < width; j++) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
  }
  long p = 0;
  for (; p + 4 <= k; p += 4) {
    const float *b0 = b + p * ldb + n0, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
    for (long i = 0; i < m; i++) {
      const float *ai = a + i * lda + p;
      float x0 = alpha * ai[0], x1 = alpha * ai[1], x2 = alpha * ai[2], x3 = alpha * ai[3];
      float *ci = c + i * ldc + n0;
      for (long v = 0; v < vectors; v++) {
        ftw_v8s acc = *(ftw_v8s *)(ci + 8 * v);
        acc += *(const ftw_v8s *)(b0 + 8 * v) * x0 + *(const ftw_v8s *)(b1 + 8 * v) * x1;
        acc += *(const ftw_v8s *)(b2 + 8 * v) * x2 + *(const ftw_v8s *)(b3 + 8 * v) * x3;
        *(ftw_v8s *)(ci + 8 * v) = acc;
      }
      for (long j = 8 * vectors; j < width; j++) ci[j] += b0[j] * x0 + b1[j] * x1 + b2[j] * x2 + b3[j] * x3;
    }
  }
  for (; p < k; p++) {
    const float *row = b + p * ldb + n0;
    for (long i = 0; i < m; i++) {
      float x = alpha * a[i * lda + p];
      float *ci = c + i * ldc + n0;
      for (long j = 0; j < width; j++) ci[j] += row[j] * x;
    }
  }
}

// C[i, j] = sum_p A[i, p] B[j, p]: dot products, each row of B read once for all rows of A.
static inline __attribute__((always_inline)) void skinny_nt(long m, long n0, long n1, long k, float alpha,
                                                            const float *a, long lda, const float *b, long ldb,
                                                            float beta, float *c, long ldc) {
  for (long j = n0; j < n1; j++) {
    const float *row = b + j * ldb;
    ftw_v8s acc[FTW_SKINNY_MAX_M];
    float tail[FTW_SKINNY_MAX_M];
    for (long i = 0; i < m; i++) {
      acc[i] = (ftw_v8s){0};
      tail[i] = 0;
    }
    long p = 0;
    for (; p + 8 <= k; p += 8) {
      ftw_v8s y = *(const ftw_v8s *)(row + p);
      for (long i = 0; i < m; i++) acc[i] += *(const ftw_v8s *)(a + i * lda + p) * y;
    }
    for (; p < k; p++)
      for (long i = 0; i < m; i++) tail[i] += a[i * lda + p] * row[p];
    for (long i = 0; i < m; i++) {
      float sum = 0;
      for (int q = 0; q < 8; q++) sum += acc[i][q];
      store_row(c + i * ldc + j, sum + tail[i], alpha, beta);
    }
  }
}

__attribute__((target("avx2,fma"))) static void skinny_avx2(int transpose_b, long m, long n0, long n1, long k,
                                                             float alpha, const float *a, long lda, const float *b,
                                                             long ldb, float beta, float *c, long ldc) {
  if (transpose_b) skinny_nt(m, n0, n1, k, alpha, a, lda, b, ldb, beta, c, ldc);
  else skinny_nn(m, n0, n1, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static void skinny_generic(int transpose_b, long m, long n0, long n1, long k, float alpha, const float *a, long lda,
                           const float *b, long ldb, float beta, float *c, long ldc) {
  if (transpose_b) skinny_nt(m, n0, n1, k, alpha, a, lda, b, ldb, beta, c, ldc);
  else skinny_nn(m, n0, n1, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void ftw_sgemm_skinny(int transpose_b, long m, long n0, long n1, long k, float alpha, const float *a, long lda,
                      const float *b, long ldb, float beta, float *c, long ldc) {
  if (ftw_sgemm_microkernel_isa()[0] == 'a') {
    skinny_avx2(transpose_b, m, n0, n1, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else {
    skinny_generic(transpose_b, m, n0, n1, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
}
