// Convolution as an implicit GEMM: the patches of the image are gathered a few at a time into a
// buffer that stays in L1 and multiplied there, so the im2col matrix is never written to memory.
// The three products of a convolution (output, input gradient, filter gradient) all run on one
// register tile whose A operand is read through strides. Every loop here is built for AVX-512,
// AVX2+FMA and the baseline (CPU.h).
#include <stdlib.h>
#include <string.h>

#include "Convolution.h"
#include "ConvolutionPatches.h"
#include "Tile.h"

// A tile (Tile.h) of `conv_rows(isa)` rows: 8 x 2 strips on AVX-512 (16 of its 32 registers; the
// patch rows it gathers stay in L1 beside the filter strips), 6 x 1 strip elsewhere. NR: the
// columns of one strip. ROW_BLOCK is a multiple of every build's rows.
// FILTER_BLOCK: output pixels per block of the filter gradient, small enough that its
// output-gradient rows (FILTER_BLOCK x 64 floats at most) and the patch lines a tile reads stay in
// L1 together (docs/PERFORMANCE.md has the measurements behind the figure).
enum { NR = TILE_STRIP, ROW_BLOCK = FTW_CONV_ROW_BLOCK, FILTER_BLOCK = 96 };

FTW_INLINE int conv_rows(ftw_isa isa) { return isa == FTW_ISA_AVX512 ? 8 : 6; }

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
    gather_patches(g, input, sizeof(float), p, count, rows, k);
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
    gather_patches(g, input, sizeof(float), p0, count, patches, padded_k);
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
