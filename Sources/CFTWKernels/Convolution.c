// Convolution as an implicit GEMM: the patches of the image are gathered a few at a time into a
// buffer that stays in L1 and multiplied there, so the im2col matrix is never written to memory.
// The three products of a convolution (output, input gradient, filter gradient) all run on one
// 6x16 register tile whose A operand is read through strides. Compiled for AVX2+FMA and for the
// baseline, chosen at run time, like the GEMM micro-kernel.
#include <stdlib.h>
#include <string.h>

#include "CFTWKernels.h"

typedef float ftw_cv8 __attribute__((vector_size(32), aligned(4)));

enum { MR = 6, NR = 16, FILTER_BLOCK = 128 };

static long round_up(long value, long multiple) { return (value + multiple - 1) / multiple * multiple; }

static long patch_size(const ftw_conv_geometry *g) { return g->kernel_height * g->kernel_width * g->input_channels; }

static float *scratch(long count) {
  void *block = NULL;
  if (posix_memalign(&block, 64, (size_t)(count > 0 ? count : 1) * sizeof(float)) != 0) abort();
  return block;
}

// The tile C[6, 16] = sum_p A(i, p) B(p, j) with A(i, p) = a[i * ars + p * acs] and
// B(p, j) = b[p * ldb + j]. With `accumulate` the tile is added to C, else stored (plus `bias[j]`
// when bias is not NULL).
static inline __attribute__((always_inline)) void tile_body(long depth, const float *a, long ars, long acs,
                                                            const float *b, long ldb, float *c, long ldc,
                                                            int accumulate, const float *bias) {
  ftw_cv8 acc[MR][2];
  for (int i = 0; i < MR; i++) acc[i][0] = acc[i][1] = (ftw_cv8){0};
  const float *a0 = a, *a1 = a + ars, *a2 = a + 2 * ars, *a3 = a + 3 * ars, *a4 = a + 4 * ars, *a5 = a + 5 * ars;
  long offset = 0;
  for (long p = 0; p < depth; p++, offset += acs, b += ldb) {
    ftw_cv8 b0 = *(const ftw_cv8 *)b, b1 = *(const ftw_cv8 *)(b + 8);
    float x0 = a0[offset], x1 = a1[offset], x2 = a2[offset];
    acc[0][0] += b0 * x0;
    acc[0][1] += b1 * x0;
    acc[1][0] += b0 * x1;
    acc[1][1] += b1 * x1;
    acc[2][0] += b0 * x2;
    acc[2][1] += b1 * x2;
    float x3 = a3[offset], x4 = a4[offset], x5 = a5[offset];
    acc[3][0] += b0 * x3;
    acc[3][1] += b1 * x3;
    acc[4][0] += b0 * x4;
    acc[4][1] += b1 * x4;
    acc[5][0] += b0 * x5;
    acc[5][1] += b1 * x5;
  }
  ftw_cv8 bias0 = {0}, bias1 = {0};
  if (bias) {
    bias0 = *(const ftw_cv8 *)bias;
    bias1 = *(const ftw_cv8 *)(bias + 8);
  }
  for (int i = 0; i < MR; i++) {
    ftw_cv8 *row = (ftw_cv8 *)(c + i * ldc);
    if (accumulate) {
      row[0] += acc[i][0];
      row[1] += acc[i][1];
    } else {
      row[0] = acc[i][0] + bias0;
      row[1] = acc[i][1] + bias1;
    }
  }
}

__attribute__((target("avx2,fma"))) static void tile_avx2(long depth, const float *a, long ars, long acs,
                                                          const float *b, long ldb, float *c, long ldc,
                                                          int accumulate, const float *bias) {
  tile_body(depth, a, ars, acs, b, ldb, c, ldc, accumulate, bias);
}

static void tile_generic(long depth, const float *a, long ars, long acs, const float *b, long ldb, float *c,
                         long ldc, int accumulate, const float *bias) {
  tile_body(depth, a, ars, acs, b, ldb, c, ldc, accumulate, bias);
}

typedef void (*tile_function)(long, const float *, long, long, const float *, long, float *, long, int,
                              const float *);

static tile_function tile_for_cpu(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? tile_avx2 : tile_generic;
}

// The tile for a block of `rows <= 6` rows and `columns <= 16` columns of C: straight into C when
// whole, else through a 6x16 buffer.
static void tile(tile_function kernel, long depth, const float *a, long ars, long acs, const float *b, long ldb,
                 float *c, long ldc, long rows, long columns, int accumulate, const float *bias) {
  if (rows == MR && columns == NR) {
    kernel(depth, a, ars, acs, b, ldb, c, ldc, accumulate, bias);
    return;
  }
  float buffer[MR * NR] __attribute__((aligned(64)));
  kernel(depth, a, ars, acs, b, ldb, buffer, NR, 0, NULL);
  for (long i = 0; i < rows; i++) {
    for (long j = 0; j < columns; j++) {
      float value = buffer[i * NR + j];
      if (accumulate) {
        c[i * ldc + j] += value;
      } else {
        c[i * ldc + j] = bias ? value + bias[j] : value;
      }
    }
  }
}

static inline void copy_floats(float *destination, const float *source, long count) {
  long j = 0;
  for (; j + 8 <= count; j += 8) *(ftw_cv8 *)(destination + j) = *(const ftw_cv8 *)(source + j);
  for (; j < count; j++) destination[j] = source[j];
}

static inline void add_floats(float *destination, const float *source, long count) {
  long j = 0;
  for (; j + 8 <= count; j += 8) *(ftw_cv8 *)(destination + j) += *(const ftw_cv8 *)(source + j);
  for (; j < count; j++) destination[j] += source[j];
}

// Writes the patch of output pixel `pixel` (one row of the im2col matrix, taps outside the image
// as zeros) to `row`.
static void gather_patch(const ftw_conv_geometry *g, const float *input, long pixel, float *row) {
  long per_image = g->output_height * g->output_width;
  long n = pixel / per_image, oh = pixel % per_image / g->output_width, ow = pixel % g->output_width;
  long channels = g->input_channels, run = g->kernel_width * channels;
  long iw0 = ow * g->stride_width - g->pad_left;
  int inside = iw0 >= 0 && iw0 + g->kernel_width <= g->input_width;
  for (long kh = 0; kh < g->kernel_height; kh++, row += run) {
    long ih = oh * g->stride_height - g->pad_top + kh;
    if (ih < 0 || ih >= g->input_height) {
      memset(row, 0, (size_t)run * sizeof(float));
      continue;
    }
    const float *line = input + ((n * g->input_height + ih) * g->input_width) * channels;
    if (inside) {
      copy_floats(row, line + iw0 * channels, run);
      continue;
    }
    for (long kw = 0; kw < g->kernel_width; kw++) {
      long iw = iw0 + kw;
      if (iw < 0 || iw >= g->input_width) {
        memset(row + kw * channels, 0, (size_t)channels * sizeof(float));
      } else {
        copy_floats(row + kw * channels, line + iw * channels, channels);
      }
    }
  }
}

// Adds the patch-shaped `row` into the input-shaped `image` at output pixel `pixel` (the adjoint of
// gather_patch).
static void scatter_patch(const ftw_conv_geometry *g, float *image, long pixel, const float *row) {
  long per_image = g->output_height * g->output_width;
  long n = pixel / per_image, oh = pixel % per_image / g->output_width, ow = pixel % g->output_width;
  long channels = g->input_channels, run = g->kernel_width * channels;
  long iw0 = ow * g->stride_width - g->pad_left;
  int inside = iw0 >= 0 && iw0 + g->kernel_width <= g->input_width;
  for (long kh = 0; kh < g->kernel_height; kh++, row += run) {
    long ih = oh * g->stride_height - g->pad_top + kh;
    if (ih < 0 || ih >= g->input_height) continue;
    float *line = image + ((n * g->input_height + ih) * g->input_width) * channels;
    if (inside) {
      add_floats(line + iw0 * channels, row, run);
      continue;
    }
    for (long kw = 0; kw < g->kernel_width; kw++) {
      long iw = iw0 + kw;
      if (iw >= 0 && iw < g->input_width) add_floats(line + iw * channels, row + kw * channels, channels);
    }
  }
}

long ftw_conv_packed_filter_count(const ftw_conv_geometry *g, int transposed) {
  return transposed ? round_up(patch_size(g), NR) * g->output_channels
                    : patch_size(g) * round_up(g->output_channels, NR);
}

void ftw_conv_pack_filter(const ftw_conv_geometry *g, const float *filter, int transposed, float *packed) {
  long k = patch_size(g), o = g->output_channels;
  // Rows and columns of the matrix packed: the filter [k, o], or its transpose [o, k].
  long rows = transposed ? o : k, columns = transposed ? k : o;
  for (long j0 = 0; j0 < columns; j0 += NR) {
    for (long p = 0; p < rows; p++, packed += NR) {
      for (long j = 0; j < NR; j++) {
        long column = j0 + j;
        packed[j] = column >= columns ? 0 : transposed ? filter[column * o + p] : filter[p * o + column];
      }
    }
  }
}

void ftw_conv_forward(const ftw_conv_geometry *g, const float *input, const float *packed_filter,
                      const float *bias, float *output, long first_pixel, long end_pixel) {
  tile_function kernel = tile_for_cpu();
  long k = patch_size(g), o = g->output_channels;
  float *rows = scratch(MR * k);
  float padded_bias[NR] __attribute__((aligned(64)));
  for (long p = first_pixel; p < end_pixel; p += MR) {
    long count = end_pixel - p < MR ? end_pixel - p : MR;
    for (long i = 0; i < MR; i++) {
      if (i < count) {
        gather_patch(g, input, p + i, rows + i * k);
      } else {
        memset(rows + i * k, 0, (size_t)k * sizeof(float));
      }
    }
    for (long j0 = 0; j0 < o; j0 += NR) {
      long width = o - j0 < NR ? o - j0 : NR;
      const float *strip_bias = NULL;
      if (bias && width == NR) {
        strip_bias = bias + j0;
      } else if (bias) {
        memset(padded_bias, 0, sizeof padded_bias);
        memcpy(padded_bias, bias + j0, (size_t)width * sizeof(float));
        strip_bias = padded_bias;
      }
      tile(kernel, k, rows, k, 1, packed_filter + j0 * k, NR, output + p * o + j0, o, count, width, 0,
           strip_bias);
    }
  }
  free(rows);
}

void ftw_conv_input_gradient(const ftw_conv_geometry *g, const float *output_gradient,
                             const float *packed_filter_transpose, float *input_gradient, long first_image,
                             long end_image) {
  tile_function kernel = tile_for_cpu();
  long k = patch_size(g), o = g->output_channels, padded_k = round_up(k, NR);
  long image_size = g->input_height * g->input_width * g->input_channels;
  long per_image = g->output_height * g->output_width;
  float *columns = scratch(MR * padded_k);
  float *last_rows = scratch(MR * o);
  memset(input_gradient + first_image * image_size, 0, (size_t)((end_image - first_image) * image_size) * sizeof(float));
  for (long p = first_image * per_image; p < end_image * per_image; p += MR) {
    long count = end_image * per_image - p < MR ? end_image * per_image - p : MR;
    const float *rows = output_gradient + p * o;
    if (count < MR) {
      memset(last_rows, 0, (size_t)(MR * o) * sizeof(float));
      memcpy(last_rows, rows, (size_t)(count * o) * sizeof(float));
      rows = last_rows;
    }
    for (long j0 = 0; j0 < padded_k; j0 += NR) {
      kernel(o, rows, o, 1, packed_filter_transpose + j0 * o, NR, columns + j0, padded_k, 0, NULL);
    }
    for (long i = 0; i < count; i++) scatter_patch(g, input_gradient, p + i, columns + i * padded_k);
  }
  free(columns);
  free(last_rows);
}

long ftw_conv_filter_gradient_count(const ftw_conv_geometry *g) {
  return round_up(patch_size(g), MR) * round_up(g->output_channels, NR);
}

void ftw_conv_filter_gradient(const ftw_conv_geometry *g, const float *input, const float *output_gradient,
                              float *partial, float *bias_gradient, long first_pixel, long end_pixel) {
  tile_function kernel = tile_for_cpu();
  long k = patch_size(g), o = g->output_channels;
  long padded_k = round_up(k, MR), padded_o = round_up(o, NR);
  // A block of patches [FILTER_BLOCK, padded_k] and of the output gradient [FILTER_BLOCK, padded_o],
  // both zero in their padding columns.
  float *patches = scratch(FILTER_BLOCK * padded_k);
  float *gradients = scratch(FILTER_BLOCK * padded_o);
  memset(patches, 0, (size_t)(FILTER_BLOCK * padded_k) * sizeof(float));
  memset(gradients, 0, (size_t)(FILTER_BLOCK * padded_o) * sizeof(float));
  memset(partial, 0, (size_t)(padded_k * padded_o) * sizeof(float));
  if (bias_gradient) memset(bias_gradient, 0, (size_t)o * sizeof(float));
  for (long p0 = first_pixel; p0 < end_pixel; p0 += FILTER_BLOCK) {
    long count = end_pixel - p0 < FILTER_BLOCK ? end_pixel - p0 : FILTER_BLOCK;
    for (long i = 0; i < count; i++) {
      gather_patch(g, input, p0 + i, patches + i * padded_k);
      const float *row = output_gradient + (p0 + i) * o;
      copy_floats(gradients + i * padded_o, row, o);
      if (bias_gradient) add_floats(bias_gradient, row, o);
    }
    for (long i0 = 0; i0 < padded_k; i0 += MR) {
      for (long j0 = 0; j0 < padded_o; j0 += NR) {
        kernel(count, patches + i0, 1, padded_k, gradients + j0, padded_o, partial + i0 * padded_o + j0, padded_o,
               1, NULL);
      }
    }
  }
  free(patches);
  free(gradients);
}
