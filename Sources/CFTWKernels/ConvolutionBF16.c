// The three products of a convolution (Convolution.c) in bfloat16 (Bfloat16.h) on AVX-512's tile
// of 14 rows by 2 strips: patches are gathered from a bfloat16 copy of the input (half the bytes of
// the fp32 gather), output gradients rounded to bfloat16 a tile's rows at a time, and the filter
// packed as pairs of bfloat16 steps. Outputs, the scattered input gradient and every sum stay in
// single precision.
#include <string.h>

#include "Bfloat16.h"
#include "Convolution.h"
#include "ConvolutionPatches.h"

// ROWS x 2 strips of 16: the tile. FILTER_PIXELS: output pixels per block of the filter gradient
// (even: they pair up), whose interleaved patches (FILTER_PIXELS x patch size x 2 bytes) stream from
// L2 while the block's output-gradient pairs stay in L1.
enum { ROWS = 14, STRIP = TILE_STRIP, WIDTH = 2 * TILE_STRIP, FILTER_PIXELS = 192 };

void ftw_bf16_round(const float *values, long count, unsigned short *rounded) {
  for (long i = 0; i < count; i++) rounded[i] = (unsigned short)(bf16_rounded_bits(values[i]) >> 16);
}

long ftw_conv_packed_filter_count_bf16(const ftw_conv_geometry *g, int transposed) {
  long k = patch_size(g), o = g->output_channels;
  long steps = transposed ? o : k, columns = transposed ? k : o;
  return round_up(columns, STRIP) * ((steps + 1) / 2);
}

void ftw_conv_pack_filter_bf16(const ftw_conv_geometry *g, const float *filter, int transposed,
                               unsigned int *packed) {
  long k = patch_size(g), o = g->output_channels;
  // Steps and columns of the matrix packed: the filter [k, o], or its transpose [o, k].
  long steps = transposed ? o : k, columns = transposed ? k : o, pairs = (steps + 1) / 2;
  for (long j0 = 0; j0 < columns; j0 += STRIP) {
    for (long q = 0; q < pairs; q++, packed += STRIP) {
      for (long j = 0; j < STRIP; j++) {
        long column = j0 + j;
        float value[2] = {0, 0};
        for (long half = 0; half < 2; half++) {
          long p = 2 * q + half;
          if (column < columns && p < steps) value[half] = transposed ? filter[column * o + p] : filter[p * o + column];
        }
        packed[j] = bf16_pair(value[0], value[1]);
      }
    }
  }
}

#if FTW_HAS_BF16_BUILD
FTW_BF16_TARGET static void conv_forward_bf16(const ftw_conv_geometry *g, const unsigned short *input,
                                              const ftw_bf16_pair *packed_filter, const float *bias, float *output,
                                              long first_pixel, long end_pixel) {
  long k = patch_size(g), o = g->output_channels, pairs = (k + 1) / 2;
  // ROWS patches of `2 * pairs` bfloat16 values (the last one zero when k is odd).
  unsigned short *rows = scratch_bytes(ROWS * pairs * (long)sizeof(ftw_bf16_pair));
  zero_bytes(rows, ROWS * pairs * (long)sizeof(ftw_bf16_pair));
  for (long p = first_pixel; p < end_pixel; p += ROWS) {
    long count = end_pixel - p < ROWS ? end_pixel - p : ROWS;
    gather_patches(g, input, sizeof(unsigned short), p, count, rows, 2 * pairs);
    if (count < ROWS) zero_bytes(rows + count * 2 * pairs, (ROWS - count) * pairs * (long)sizeof(ftw_bf16_pair));
    for (long j0 = 0; j0 < o; j0 += WIDTH) {
      long columns = o - j0 < WIDTH ? o - j0 : WIDTH;
      run_tile_bf16(ROWS, columns > STRIP ? 2 : 1, pairs, (const ftw_bf16_pair *)rows, pairs, 1,
                    packed_filter + j0 * pairs, STRIP * pairs, STRIP, output + p * o + j0, o, count, columns, 1.0f,
                    0.0f, bias ? bias + j0 : NULL);
    }
  }
  free(rows);
}

FTW_BF16_TARGET static void conv_input_gradient_bf16(const ftw_conv_geometry *g, const float *output_gradient,
                                                     const ftw_bf16_pair *packed_filter_transpose,
                                                     float *input_gradient, long first_image, long end_image) {
  long k = patch_size(g), o = g->output_channels, pairs = (o + 1) / 2, padded_k = round_up(k, STRIP);
  long image_size = g->input_height * g->input_width * g->input_channels;
  long per_image = g->output_height * g->output_width, end_pixel = end_image * per_image;
  ftw_bf16_pair *rows = scratch_bytes(ROWS * pairs * (long)sizeof(ftw_bf16_pair));
  float *columns = scratch(ROWS * padded_k);
  zero_bytes(rows, ROWS * pairs * (long)sizeof(ftw_bf16_pair));
  zero_floats(input_gradient + first_image * image_size, (end_image - first_image) * image_size);
  pixel_position at = position_of(g, first_image * per_image);
  for (long p = first_image * per_image; p < end_pixel; p += ROWS) {
    long count = end_pixel - p < ROWS ? end_pixel - p : ROWS;
    for (long i = 0; i < count; i++) bf16_pairs_along(output_gradient + (p + i) * o, o, rows + i * pairs);
    if (count < ROWS) zero_bytes(rows + count * pairs, (ROWS - count) * pairs * (long)sizeof(ftw_bf16_pair));
    for (long j0 = 0; j0 < padded_k; j0 += WIDTH) {
      long strip_columns = padded_k - j0 < WIDTH ? padded_k - j0 : WIDTH;
      run_tile_bf16(ROWS, (int)(strip_columns / STRIP), pairs, rows, pairs, 1, packed_filter_transpose + j0 * pairs,
                    STRIP * pairs, STRIP, columns + j0, padded_k, ROWS, strip_columns, 1.0f, 0.0f, NULL);
    }
    for (long i = 0; i < count; i++, advance(g, &at)) scatter_patch(g, input_gradient, at, columns + i * padded_k);
  }
  free(rows);
  free(columns);
}

// The pairs of patches of one block: `pairs[q * k + c] = (patch(2q)[c], patch(2q + 1)[c])` from the
// `count` patches in `patches` (`k` values each), the last pixel's partner zero when `count` is odd.
FTW_BF16 void interleave_patches(const unsigned short *patches, long count, long k, ftw_bf16_pair *pairs) {
  for (long q = 0; 2 * q < count; q++, pairs += k) {
    const unsigned short *first = patches + 2 * q * k, *second = first + k;
    if (2 * q + 1 < count) {
      for (long c = 0; c < k; c++) pairs[c] = (ftw_bf16_pair)first[c] | (ftw_bf16_pair)second[c] << 16;
    } else {
      for (long c = 0; c < k; c++) pairs[c] = first[c];
    }
  }
}

FTW_BF16_TARGET static void conv_filter_gradient_bf16(const ftw_conv_geometry *g, const unsigned short *input,
                                                      const float *output_gradient, float *partial,
                                                      float *bias_gradient, long first_pixel, long end_pixel) {
  long k = patch_size(g), o = g->output_channels, padded_o = round_up(o, STRIP);
  unsigned short *patches = scratch_bytes(FILTER_PIXELS * k * (long)sizeof(unsigned short));
  // The tile reads up to ROWS pairs past the block's last one (rows it then drops).
  ftw_bf16_pair *pairs = scratch_bytes((FILTER_PIXELS / 2 * k + ROWS) * (long)sizeof(ftw_bf16_pair));
  ftw_bf16_pair *gradients = scratch_bytes(FILTER_PIXELS / 2 * padded_o * (long)sizeof(ftw_bf16_pair));
  zero_bytes(pairs, (FILTER_PIXELS / 2 * k + ROWS) * (long)sizeof(ftw_bf16_pair));
  zero_bytes(gradients, FILTER_PIXELS / 2 * padded_o * (long)sizeof(ftw_bf16_pair));
  zero_floats(partial, ftw_conv_filter_gradient_count(g));
  if (bias_gradient) zero_floats(bias_gradient, o);
  for (long p0 = first_pixel; p0 < end_pixel; p0 += FILTER_PIXELS) {
    long count = end_pixel - p0 < FILTER_PIXELS ? end_pixel - p0 : FILTER_PIXELS, steps = (count + 1) / 2;
    gather_patches(g, input, sizeof(unsigned short), p0, count, patches, k);
    interleave_patches(patches, count, k, pairs);
    for (long q = 0; q < steps; q++) {
      const float *first = output_gradient + (p0 + 2 * q) * o;
      bf16_interleave(first, 2 * q + 1 < count ? first + o : NULL, o, gradients + q * padded_o);
    }
    if (bias_gradient) {
      for (long i = 0; i < count; i++) add_floats(bias_gradient, output_gradient + (p0 + i) * o, o);
    }
    for (long i0 = 0; i0 < k; i0 += ROWS) {
      long rows = k - i0 < ROWS ? k - i0 : ROWS;
      for (long j0 = 0; j0 < padded_o; j0 += WIDTH) {
        long strip_columns = padded_o - j0 < WIDTH ? padded_o - j0 : WIDTH;
        run_tile_bf16(ROWS, (int)(strip_columns / STRIP), steps, pairs + i0, 1, k, gradients + j0, STRIP, padded_o,
                      partial + i0 * padded_o + j0, padded_o, rows, strip_columns, 1.0f, 1.0f, NULL);
      }
    }
  }
  free(patches);
  free(pairs);
  free(gradients);
}
#endif

void ftw_conv_forward_bf16(const ftw_conv_geometry *g, const unsigned short *input, const unsigned int *packed_filter,
                           const float *bias, float *output, long first_pixel, long end_pixel) {
#if FTW_HAS_BF16_BUILD
  if (ftw_bf16_available()) return conv_forward_bf16(g, input, packed_filter, bias, output, first_pixel, end_pixel);
#endif
  abort();
}

void ftw_conv_input_gradient_bf16(const ftw_conv_geometry *g, const float *output_gradient,
                                  const unsigned int *packed_filter_transpose, float *input_gradient, long first_image,
                                  long end_image) {
#if FTW_HAS_BF16_BUILD
  if (ftw_bf16_available()) {
    return conv_input_gradient_bf16(g, output_gradient, packed_filter_transpose, input_gradient, first_image,
                                    end_image);
  }
#endif
  abort();
}

void ftw_conv_filter_gradient_bf16(const ftw_conv_geometry *g, const unsigned short *input,
                                   const float *output_gradient, float *partial, float *bias_gradient,
                                   long first_pixel, long end_pixel) {
#if FTW_HAS_BF16_BUILD
  if (ftw_bf16_available()) {
    return conv_filter_gradient_bf16(g, input, output_gradient, partial, bias_gradient, first_pixel, end_pixel);
  }
#endif
  abort();
}
