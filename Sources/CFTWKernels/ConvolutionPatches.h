// What the fp32 and bfloat16 convolutions share: the index arithmetic of output pixels, and the
// gathering of a pixel's patch (one row of the im2col matrix) and its adjoint.
#ifndef CFTWKERNELS_CONVOLUTION_PATCHES_H
#define CFTWKERNELS_CONVOLUTION_PATCHES_H

#include <stdlib.h>

#include "CPU.h"
#include "Convolution.h"

FTW_INLINE long round_up(long value, long multiple) { return (value + multiple - 1) / multiple * multiple; }

FTW_INLINE long patch_size(const ftw_conv_geometry *g) { return g->kernel_height * g->kernel_width * g->input_channels; }

// A 64-byte aligned buffer of at least `bytes` bytes; aborts when memory runs out.
FTW_INLINE void *scratch_bytes(long bytes) {
  void *block = NULL;
  if (posix_memalign(&block, 64, (size_t)(bytes > 0 ? bytes : 1)) != 0) abort();
  return block;
}

FTW_INLINE float *scratch(long count) { return scratch_bytes(count * (long)sizeof(float)); }

typedef char ftw_bytes32 __attribute__((vector_size(32), aligned(1)));
typedef char ftw_bytes16 __attribute__((vector_size(16), aligned(1)));
typedef char ftw_bytes8 __attribute__((vector_size(8), aligned(1)));
typedef char ftw_bytes4 __attribute__((vector_size(4), aligned(1)));
typedef char ftw_bytes2 __attribute__((vector_size(2), aligned(1)));

// Copies `bytes` bytes (a multiple of 2) in the widest pieces that fit.
FTW_INLINE void copy_bytes(void *destination, const void *source, long bytes) {
  char *to = destination;
  const char *from = source;
  long j = 0;
  for (; j + 32 <= bytes; j += 32) *(ftw_bytes32 *)(to + j) = *(const ftw_bytes32 *)(from + j);
  if (j + 16 <= bytes) *(ftw_bytes16 *)(to + j) = *(const ftw_bytes16 *)(from + j), j += 16;
  if (j + 8 <= bytes) *(ftw_bytes8 *)(to + j) = *(const ftw_bytes8 *)(from + j), j += 8;
  if (j + 4 <= bytes) *(ftw_bytes4 *)(to + j) = *(const ftw_bytes4 *)(from + j), j += 4;
  if (j + 2 <= bytes) *(ftw_bytes2 *)(to + j) = *(const ftw_bytes2 *)(from + j);
}

// Zeroes `bytes` bytes (a multiple of 2).
FTW_INLINE void zero_bytes(void *destination, long bytes) {
  char *to = destination;
  long j = 0;
  for (; j + 32 <= bytes; j += 32) *(ftw_bytes32 *)(to + j) = (ftw_bytes32){0};
  for (; j < bytes; j += 2) *(ftw_bytes2 *)(to + j) = (ftw_bytes2){0};
}

FTW_INLINE void copy_floats(float *destination, const float *source, long count) {
  copy_bytes(destination, source, count * (long)sizeof(float));
}

FTW_INLINE void zero_floats(float *destination, long count) { zero_bytes(destination, count * (long)sizeof(float)); }

FTW_INLINE void add_floats(float *destination, const float *source, long count) {
  long j = 0;
  for (; j + 8 <= count; j += 8) *(ftw_v8 *)(destination + j) += *(const ftw_v8 *)(source + j);
  for (; j < count; j++) destination[j] += source[j];
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
// zeros) to `row`, from an NHWC `input` of `size`-byte values (4 for floats, 2 for bfloat16; a
// constant after inlining).
FTW_INLINE void gather_patch(const ftw_conv_geometry *g, const void *input, long size, pixel_position at, void *row) {
  long channels = g->input_channels, run = g->kernel_width * channels * size;
  long iw0 = at.ow * g->stride_width - g->pad_left;
  int inside = iw0 >= 0 && iw0 + g->kernel_width <= g->input_width;
  char *target = row;
  for (long kh = 0; kh < g->kernel_height; kh++, target += run) {
    long ih = at.oh * g->stride_height - g->pad_top + kh;
    if (ih < 0 || ih >= g->input_height) {
      zero_bytes(target, run);
      continue;
    }
    const char *line = (const char *)input + ((at.n * g->input_height + ih) * g->input_width) * channels * size;
    if (inside) {
      copy_bytes(target, line + iw0 * channels * size, run);
      continue;
    }
    for (long kw = 0; kw < g->kernel_width; kw++) {
      long iw = iw0 + kw;
      if (iw < 0 || iw >= g->input_width) {
        zero_bytes(target + kw * channels * size, channels * size);
      } else {
        copy_bytes(target + kw * channels * size, line + iw * channels * size, channels * size);
      }
    }
  }
}

// Writes the patches of `count` pixels from `first` to the rows of `rows`, `ld` values apart.
FTW_INLINE void gather_patches(const ftw_conv_geometry *g, const void *input, long size, long first, long count,
                               void *rows, long ld) {
  pixel_position at = position_of(g, first);
  for (long i = 0; i < count; i++, advance(g, &at)) gather_patch(g, input, size, at, (char *)rows + i * ld * size);
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

#endif
