// The space-to-depth form of a strided convolution whose kernel is a multiple of its stride s: each
// s x s block of the (padded) input becomes one pixel of s * s * C channels, and the convolution a
// stride-1 convolution with a kernel s times smaller. The same products, but each patch is a few
// long runs of memory instead of many short ones (the torso's 8x8/4 convolution of 3 channels
// gathers 8 runs of 24 floats a pixel; its blocked form, 2 runs of 96).
#include "Convolution.h"
#include "ConvolutionPatches.h"

// Block rows and columns: enough to cover every output pixel's receptive field.
FTW_INLINE long block_rows(const ftw_conv_geometry *g) {
  return g->output_height - 1 + g->kernel_height / g->stride_height;
}

FTW_INLINE long block_columns(const ftw_conv_geometry *g) {
  return g->output_width - 1 + g->kernel_width / g->stride_width;
}

long ftw_space_to_depth_count(const ftw_conv_geometry *g) {
  return g->batch * block_rows(g) * block_columns(g) * g->stride_height * g->stride_width * g->input_channels;
}

// Calls `visit(run, image_offset, valid)` for every run of s * C channels of images
// [first_image, end_image): `run` is its offset in the blocked tensor, `image_offset` the input
// offset of its first value, and `valid` which of its s pixels lie inside the image (a bit each).
#define FTW_FOR_EACH_RUN(g, first_image, end_image, body)                                                   \
  do {                                                                                                      \
    long s = (g)->stride_height, t = (g)->stride_width, c = (g)->input_channels;                           \
    long rows = block_rows(g), columns = block_columns(g);                                                 \
    for (long n = (first_image); n < (end_image); n++) {                                                   \
      for (long bh = 0; bh < rows; bh++) {                                                                 \
        for (long bw = 0; bw < columns; bw++) {                                                            \
          for (long sh = 0; sh < s; sh++) {                                                                \
            long run = (((n * rows + bh) * columns + bw) * s + sh) * t * c;                                 \
            long ih = bh * s + sh - (g)->pad_top, iw0 = bw * t - (g)->pad_left;                             \
            int row_inside = ih >= 0 && ih < (g)->input_height;                                             \
            long image = ((n * (g)->input_height + ih) * (g)->input_width + iw0) * c;                       \
            body                                                                                            \
          }                                                                                                 \
        }                                                                                                   \
      }                                                                                                     \
    }                                                                                                       \
  } while (0)

void ftw_space_to_depth(const ftw_conv_geometry *g, const float *input, float *blocks, long first_image,
                        long end_image) {
  FTW_FOR_EACH_RUN(g, first_image, end_image, {
    float *target = blocks + run;
    if (row_inside && iw0 >= 0 && iw0 + t <= g->input_width) {
      copy_floats(target, input + image, t * c);
    } else {
      for (long sw = 0; sw < t; sw++) {
        long iw = iw0 + sw;
        if (row_inside && iw >= 0 && iw < g->input_width) {
          copy_floats(target + sw * c, input + image + sw * c, c);
        } else {
          zero_floats(target + sw * c, c);
        }
      }
    }
  });
}

void ftw_depth_to_space(const ftw_conv_geometry *g, const float *blocks, float *input, long first_image,
                        long end_image) {
  long image_size = g->input_height * g->input_width * g->input_channels;
  // A VALID convolution may not reach the last rows and columns: their gradient is zero.
  zero_floats(input + first_image * image_size, (end_image - first_image) * image_size);
  FTW_FOR_EACH_RUN(g, first_image, end_image, {
    if (!row_inside) continue;
    for (long sw = 0; sw < t; sw++) {
      long iw = iw0 + sw;
      if (iw >= 0 && iw < g->input_width) copy_floats(input + image + sw * c, blocks + run + sw * c, c);
    }
  });
}
