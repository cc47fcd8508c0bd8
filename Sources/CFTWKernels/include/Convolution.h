#ifndef CFTWKERNELS_CONVOLUTION_H
#define CFTWKERNELS_CONVOLUTION_H

#include "CPUFeatures.h"

/// A multiple of the rows of every build's register tile: output-pixel ranges that start on a
/// multiple of it split into whole tiles.
#define FTW_CONV_ROW_BLOCK 24
/// The index arithmetic of one 2-D convolution: an NHWC input, an HWIO filter, strides and the
/// padding before the first row and column. The patch of an output pixel is its
/// `kernel_height * kernel_width * input_channels` input values in HWC order (taps outside the
/// image count as zeros), so the filter is a `[patch size, output_channels]` matrix.
///
/// Each product below runs in the build for `ftw_kernel_isa()`; its `_on` twin takes the
/// instruction set as its first argument (tests compare the builds).
typedef struct {
  long batch, input_height, input_width, input_channels;
  long kernel_height, kernel_width, output_channels;
  long stride_height, stride_width, output_height, output_width, pad_top, pad_left;
} ftw_conv_geometry;

/// Floats of the packed filter for `ftw_conv_forward` (`transposed == 0`) or
/// `ftw_conv_input_gradient` (`transposed == 1`).
long ftw_conv_packed_filter_count(const ftw_conv_geometry *g, int transposed);

/// Packs the HWIO `filter` into column strips of the register tile's width, zero-padded: the
/// filter matrix itself, or with `transposed` its transpose.
void ftw_conv_pack_filter(const ftw_conv_geometry *g, const float *filter, int transposed, float *packed);

/// Output pixels `[first_pixel, end_pixel)` (counted over the whole batch) of the convolution:
/// `output[pixel, :] = patch(pixel) · filter + bias` (`bias` may be NULL).
void ftw_conv_forward(const ftw_conv_geometry *g, const float *input, const float *packed_filter,
                      const float *bias, float *output, long first_pixel, long end_pixel);
void ftw_conv_forward_on(ftw_isa isa, const ftw_conv_geometry *g, const float *input, const float *packed_filter,
                         const float *bias, float *output, long first_pixel, long end_pixel);

/// Images `[first_image, end_image)` of the input gradient, overwritten: the sum of
/// `output_gradient[pixel, :] · filterᵀ` over the patches that read each input value.
void ftw_conv_input_gradient(const ftw_conv_geometry *g, const float *output_gradient,
                             const float *packed_filter_transpose, float *input_gradient, long first_image,
                             long end_image);
void ftw_conv_input_gradient_on(ftw_isa isa, const ftw_conv_geometry *g, const float *output_gradient,
                                const float *packed_filter_transpose, float *input_gradient, long first_image,
                                long end_image);

/// Floats of one partial filter gradient of `ftw_conv_filter_gradient`.
long ftw_conv_filter_gradient_count(const ftw_conv_geometry *g);

/// The filter gradient over output pixels `[first_pixel, end_pixel)`, overwriting `partial`: a
/// `[patch size rounded up to FTW_CONV_ROW_BLOCK, output_channels rounded up to 16]` matrix whose top-left
/// `[patch size, output_channels]` block is the sum of `patch(pixel)ᵀ · output_gradient[pixel, :]`.
/// When `bias_gradient` is not NULL it is overwritten with the sum of those output-gradient rows.
void ftw_conv_filter_gradient(const ftw_conv_geometry *g, const float *input, const float *output_gradient,
                              float *partial, float *bias_gradient, long first_pixel, long end_pixel);
void ftw_conv_filter_gradient_on(ftw_isa isa, const ftw_conv_geometry *g, const float *input,
                                 const float *output_gradient, float *partial, float *bias_gradient,
                                 long first_pixel, long end_pixel);

/// The filter gradient `[patch size, output_channels]` and, when `bias_gradient` is not NULL, the
/// bias gradient `[output_channels]`: the sums of `count` results of `ftw_conv_filter_gradient`
/// laid out one after another, each a partial (`ftw_conv_filter_gradient_count` floats) followed by
/// its bias gradient (`output_channels` floats).
void ftw_conv_filter_gradient_sum(const ftw_conv_geometry *g, const float *partials, long count, float *filter,
                                  float *bias_gradient);
/// Floats of the space-to-depth form of `g`'s input (`ftw_space_to_depth`), for a geometry whose
/// kernel is a multiple of its strides.
long ftw_space_to_depth_count(const ftw_conv_geometry *g);

/// Images `[first_image, end_image)` of the space-to-depth form of `g`'s NHWC input, the input
/// padded as `g` pads it: `[N, OH - 1 + kh / sh, OW - 1 + kw / sw, sh * sw * C]`, whose pixel
/// `(bh, bw)` holds the input's `sh x sw` block at `(bh * sh - pad_top, bw * sw - pad_left)` (zeros
/// outside the image) in HWC order. Convolving it with the filter rearranged the same way, stride 1
/// and no padding, gives `g`'s convolution.
void ftw_space_to_depth(const ftw_conv_geometry *g, const float *input, float *blocks, long first_image,
                        long end_image);

/// The adjoint of `ftw_space_to_depth` for images `[first_image, end_image)`: each input value
/// takes its one value of `blocks` (the padding's are dropped), and values no block covers (past
/// a VALID convolution's reach) are zero; `input` is overwritten.
void ftw_depth_to_space(const ftw_conv_geometry *g, const float *blocks, float *input, long first_image,
                        long end_image);

/// `rounded[i]` = `values[i]` as bfloat16 (the high half of its bits, rounded to nearest even), for
/// the bfloat16 kernels' inputs.
void ftw_bf16_round(const float *values, long count, unsigned short *rounded);

/// Pairs (32-bit words of two bfloat16 values) of the packed filter for `ftw_conv_forward_bf16`
/// (`transposed == 0`) or `ftw_conv_input_gradient_bf16` (`transposed == 1`).
long ftw_conv_packed_filter_count_bf16(const ftw_conv_geometry *g, int transposed);

/// Packs the HWIO `filter`, rounded to bfloat16, into strips of 16 columns of pairs of steps: the
/// filter matrix itself, or with `transposed` its transpose.
void ftw_conv_pack_filter_bf16(const ftw_conv_geometry *g, const float *filter, int transposed,
                               unsigned int *packed);

/// `ftw_conv_forward` in bfloat16 (where `ftw_bf16_available()`; aborts elsewhere): `input` is the
/// NHWC input as bfloat16 (`ftw_bf16_round`), the filter packed by `ftw_conv_pack_filter_bf16`;
/// the output and bias in single precision.
void ftw_conv_forward_bf16(const ftw_conv_geometry *g, const unsigned short *input, const unsigned int *packed_filter,
                           const float *bias, float *output, long first_pixel, long end_pixel);

/// `ftw_conv_input_gradient` in bfloat16 (where `ftw_bf16_available()`; aborts elsewhere): the
/// output gradient in single precision, rounded as it is read; the transposed filter packed by
/// `ftw_conv_pack_filter_bf16`.
void ftw_conv_input_gradient_bf16(const ftw_conv_geometry *g, const float *output_gradient,
                                  const unsigned int *packed_filter_transpose, float *input_gradient, long first_image,
                                  long end_image);

/// `ftw_conv_filter_gradient` in bfloat16 (where `ftw_bf16_available()`; aborts elsewhere): `input`
/// as bfloat16 (`ftw_bf16_round`), the output gradient in single precision, rounded as it is read;
/// the same partial layout, summed by `ftw_conv_filter_gradient_sum`.
void ftw_conv_filter_gradient_bf16(const ftw_conv_geometry *g, const unsigned short *input,
                                   const float *output_gradient, float *partial, float *bias_gradient,
                                   long first_pixel, long end_pixel);

#endif
