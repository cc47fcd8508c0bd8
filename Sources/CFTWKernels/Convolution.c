// Convolution as an implicit GEMM: the patches of the image are gathered a few at a time into a
// buffer that stays in L1 and multiplied there, so the im2col matrix is never written to memory.
// The three products of a convolution (output, input gradient, filter gradient) all run on one
// register tile whose A operand is read through strides. Every loop here is built for AVX-512,
// AVX2+FMA and the baseline (CPU.h).
#include <stdlib.h>
#include <string.h>

#include "Convolution.h"
#include "Tile.h"

// A tile (Tile.h) of `conv_rows(isa)` rows: 8 x 2 strips on AVX-512 (16 of its 32 registers; the
// patch rows it gathers stay in L1 beside the filter strips), 6 x 1 strip elsewhere. NR: the
// columns of one strip. ROW_BLOCK is a multiple of every build's rows.
// FILTER_BLOCK: output pixels per block of the filter gradient, small enough that its
// output-gradient rows (FILTER_BLOCK x 64 floats at most) and the patch lines a tile reads stay in
// L1 together (docs/PERFORMANCE.md has the measurements behind the figure).
enum { NR = TILE_STRIP, ROW_BLOCK = FTW_CONV_ROW_BLOCK, FILTER_BLOCK = 96 };

FTW_INLINE int conv_rows(ftw_isa isa) { return isa == FTW_ISA_AVX512 ? 8 : 6; }

FTW_INLINE long round_up(long value, long multiple) { return (value + multiple - 1) / multiple * multiple; }

FTW_INLINE long patch_size(const ftw_conv_geometry *g) { return g->kernel_height * g->kernel_width * g->input_channels; }

FTW_INLINE float *scratch(long count) {
  void *block = NULL;
  if (posix_memalign(&block, 64, (size_t)(count > 0 ? count : 1) * sizeof(float)) != 0) abort();
  return block;
}

FTW_INLINE void copy_floats(float *destination, const float *source, long count) {
  long j = 0;
  for (; j + 8 <= count; j += 8) *(ftw_v8 *)(destination + j) = *(const ftw_v8 *)(source + j);
  for (; j < count; j++) destination[j] = source[j];
}

FTW_INLINE void add_floats(float *destination, const float *source, long count) {
  long j = 0;
  for (; j + 8 <= count; j += 8) *(ftw_v8 *)(destination + j) += *(const ftw_v8 *)(source + j);
  for (; j < count; j++) destination[j] += source[j];
}

FTW_INLINE void zero_floats(float *destination, long count) {
  long j = 0;
  for (; j + 8 <= count; j += 8) *(ftw_v8 *)(destination + j) = (ftw_v8){0};
  for (; j < count; j++) destination[j] = 0;
}

// An output pixel by position: image, row and column.
typedef struct {
  long n, oh, ow;
} pixel_position;

FTW_INLINE pixel_position position_of(const ftw_conv_geometry *g, long pixel) {
  long per_image = g->output_height * g->output_width;
  return (pixel_position){pixel / per_image, pixel % per_image / g->output_width, pixel % g->output_width};
}

// The next pixel in order: along the row, then down, then to the next image.
FTW_INLINE void advance(const ftw_conv_geometry *g, pixel_position *at) {
  if (++at->ow < g->output_width) return;
  at->ow = 0;
  if (++at->oh < g->output_height) return;
  at->oh = 0;
  at->n++;
}

// Writes the patch of the pixel at `at` (one row of the im2col matrix, taps outside the image as
// zeros) to `row`.
FTW_INLINE void gather_patch(const ftw_conv_geometry *g, const float *input, pixel_position at, float *row) {
  long channels = g->input_channels, run = g->kernel_width * channels;
  long iw0 = at.ow * g->stride_width - g->pad_left;
  int inside = iw0 >= 0 && iw0 + g->kernel_width <= g->input_width;
  for (long kh = 0; kh < g->kernel_height; kh++, row += run) {
    long ih = at.oh * g->stride_height - g->pad_top + kh;
    if (ih < 0 || ih >= g->input_height) {
      zero_floats(row, run);
      continue;
    }
    const float *line = input + ((at.n * g->input_height + ih) * g->input_width) * channels;
    if (inside) {
      copy_floats(row, line + iw0 * channels, run);
      continue;
    }
    for (long kw = 0; kw < g->kernel_width; kw++) {
      long iw = iw0 + kw;
      if (iw < 0 || iw >= g->input_width) {
        zero_floats(row + kw * channels, channels);
      } else {
        copy_floats(row + kw * channels, line + iw * channels, channels);
      }
    }
  }
}

// Writes the patches of `count` pixels from `first` to the rows of `rows`, `ld` apart.
FTW_INLINE void gather_patches(const ftw_conv_geometry *g, const float *input, long first, long count, float *rows,
                           long ld) {
  pixel_position at = position_of(g, first);
  for (long i = 0; i < count; i++, advance(g, &at)) gather_patch(g, input, at, rows + i * ld);
}

// Adds the patch-shaped `row` into the input-shaped `image` at the pixel at `at` (the adjoint of
// gather_patch).
FTW_INLINE void scatter_patch(const ftw_conv_geometry *g, float *image, pixel_position at, const float *row) {
  long channels = g->input_channels, run = g->kernel_width * channels;
  long iw0 = at.ow * g->stride_width - g->pad_left;
  int inside = iw0 >= 0 && iw0 + g->kernel_width <= g->input_width;
  for (long kh = 0; kh < g->kernel_height; kh++, row += run) {
    long ih = at.oh * g->stride_height - g->pad_top + kh;
    if (ih < 0 || ih >= g->input_height) continue;
    float *line = image + ((at.n * g->input_height + ih) * g->input_width) * channels;
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

FTW_INLINE void conv_forward_body(ftw_isa isa, const ftw_conv_geometry *g, const float *input,
                                  const float *packed_filter, const float *bias, float *output, long first_pixel,
                                  long end_pixel) {
  const int mr = conv_rows(isa);
  const long width = NR * tile_strips(isa);
  long k = patch_size(g), o = g->output_channels;
  float *rows = scratch(mr * k);
  for (long p = first_pixel; p < end_pixel; p += mr) {
    long count = end_pixel - p < mr ? end_pixel - p : mr;
    gather_patches(g, input, p, count, rows, k);
    zero_floats(rows + count * k, (mr - count) * k);
    for (long j0 = 0; j0 < o; j0 += width) {
      long columns = o - j0 < width ? o - j0 : width;
      run_tile(isa, mr, (int)((columns + NR - 1) / NR), k, rows, k, 1, packed_filter + j0 * k, NR * k, NR,
               output + p * o + j0, o, count, columns, 1.0f, 0.0f, bias ? bias + j0 : NULL);
    }
  }
  free(rows);
}

FTW_DISPATCH(conv_forward,
             (const ftw_conv_geometry *g, const float *input, const float *packed_filter, const float *bias,
              float *output, long first_pixel, long end_pixel),
             (g, input, packed_filter, bias, output, first_pixel, end_pixel))

FTW_INLINE void conv_input_gradient_body(ftw_isa isa, const ftw_conv_geometry *g, const float *output_gradient,
                                         const float *packed_filter_transpose, float *input_gradient,
                                         long first_image, long end_image) {
  const int mr = conv_rows(isa);
  const long width = NR * tile_strips(isa);
  long k = patch_size(g), o = g->output_channels, padded_k = round_up(k, NR);
  long image_size = g->input_height * g->input_width * g->input_channels;
  long per_image = g->output_height * g->output_width;
  long end_pixel = end_image * per_image;
  float *columns = scratch(mr * padded_k);
  float *last_rows = scratch(mr * o);
  zero_floats(input_gradient + first_image * image_size, (end_image - first_image) * image_size);
  pixel_position at = position_of(g, first_image * per_image);
  for (long p = first_image * per_image; p < end_pixel; p += mr) {
    long count = end_pixel - p < mr ? end_pixel - p : mr;
    const float *rows = output_gradient + p * o;
    if (count < mr) {
      zero_floats(last_rows, mr * o);
      copy_floats(last_rows, rows, count * o);
      rows = last_rows;
    }
    for (long j0 = 0; j0 < padded_k; j0 += width) {
      long strip_columns = padded_k - j0 < width ? padded_k - j0 : width;
      run_tile(isa, mr, (int)(strip_columns / NR), o, rows, o, 1, packed_filter_transpose + j0 * o, NR * o, NR,
               columns + j0, padded_k, mr, strip_columns, 1.0f, 0.0f, NULL);
    }
    for (long i = 0; i < count; i++, advance(g, &at)) scatter_patch(g, input_gradient, at, columns + i * padded_k);
  }
  free(columns);
  free(last_rows);
}

FTW_DISPATCH(conv_input_gradient,
             (const ftw_conv_geometry *g, const float *output_gradient, const float *packed_filter_transpose,
              float *input_gradient, long first_image, long end_image),
             (g, output_gradient, packed_filter_transpose, input_gradient, first_image, end_image))

long ftw_conv_filter_gradient_count(const ftw_conv_geometry *g) {
  return round_up(patch_size(g), ROW_BLOCK) * round_up(g->output_channels, NR);
}

FTW_INLINE void conv_filter_gradient_body(ftw_isa isa, const ftw_conv_geometry *g, const float *input,
                                          const float *output_gradient, float *partial, float *bias_gradient,
                                          long first_pixel, long end_pixel) {
  const int mr = conv_rows(isa);
  const long width = NR * tile_strips(isa);
  long k = patch_size(g), o = g->output_channels;
  long padded_k = round_up(k, ROW_BLOCK), padded_o = round_up(o, NR);
  // A block of patches [FILTER_BLOCK, padded_k] and of the output gradient [FILTER_BLOCK, padded_o],
  // both zero in their padding columns.
  float *patches = scratch(FILTER_BLOCK * padded_k);
  float *gradients = scratch(FILTER_BLOCK * padded_o);
  zero_floats(patches, FILTER_BLOCK * padded_k);
  zero_floats(gradients, FILTER_BLOCK * padded_o);
  zero_floats(partial, padded_k * padded_o);
  if (bias_gradient) zero_floats(bias_gradient, o);
  for (long p0 = first_pixel; p0 < end_pixel; p0 += FILTER_BLOCK) {
    long count = end_pixel - p0 < FILTER_BLOCK ? end_pixel - p0 : FILTER_BLOCK;
    gather_patches(g, input, p0, count, patches, padded_k);
    for (long i = 0; i < count; i++) {
      const float *row = output_gradient + (p0 + i) * o;
      copy_floats(gradients + i * padded_o, row, o);
      if (bias_gradient) add_floats(bias_gradient, row, o);
    }
    for (long i0 = 0; i0 < padded_k; i0 += mr) {
      for (long j0 = 0; j0 < padded_o; j0 += width) {
        long strip_columns = padded_o - j0 < width ? padded_o - j0 : width;
        run_tile(isa, mr, (int)(strip_columns / NR), count, patches + i0, 1, padded_k, gradients + j0, NR,
                 padded_o, partial + i0 * padded_o + j0, padded_o, mr, strip_columns, 1.0f, 1.0f, NULL);
      }
    }
  }
  free(patches);
  free(gradients);
}

FTW_DISPATCH(conv_filter_gradient,
             (const ftw_conv_geometry *g, const float *input, const float *output_gradient, float *partial,
              float *bias_gradient, long first_pixel, long end_pixel),
             (g, input, output_gradient, partial, bias_gradient, first_pixel, end_pixel))

void ftw_conv_filter_gradient_sum(const ftw_conv_geometry *g, const float *partials, long count, float *filter,
                                  float *bias_gradient) {
  long k = patch_size(g), o = g->output_channels, padded_o = round_up(o, NR);
  long stride = ftw_conv_filter_gradient_count(g) + o;
  for (long row = 0; row < k; row++) {
    float *target = filter + row * o;
    copy_floats(target, partials + row * padded_o, o);
    for (long part = 1; part < count; part++) add_floats(target, partials + part * stride + row * padded_o, o);
  }
  if (!bias_gradient) return;
  copy_floats(bias_gradient, partials + stride - o, o);
  for (long part = 1; part < count; part++) add_floats(bias_gradient, partials + part * stride + stride - o, o);
}
