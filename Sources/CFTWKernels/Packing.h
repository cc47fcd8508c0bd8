// What the GEMMs' packing shares: the thread's packing buffer, the copy of strided steps, and the
// transposition of lines into steps in 8x8 register blocks.
#ifndef CFTWKERNELS_PACKING_H
#define CFTWKERNELS_PACKING_H

#include "CPU.h"

/// This thread's packing buffer, at least `count` floats (or as many bytes' worth of other
/// values), 64-byte aligned; kept for the thread's next product (the pool's threads live as long
/// as the process).
float *ftw_thread_buffer(long count);

// Floats a packing may write past the end of its sliver (`pack_lines`' last group of 8), a
// multiple of 16 so that the B block after the A sliver starts on a cache line.
enum { PACK_SLACK = 16 };

// `packed[p * width + i] = source[p * stride + i]` for `lines <= width` values a step over `depth`
// steps, zero in `[lines, width)`.
FTW_INLINE void pack_steps(const float *source, long stride, long lines, long width, long depth, float *packed) {
  for (long p = 0; p < depth; p++, source += stride, packed += width) {
    for (long i = 0; i < lines; i++) packed[i] = source[i];
    for (long i = lines; i < width; i++) packed[i] = 0;
  }
}

// The 8x8 transpose of `r` (`r[i][q]` becomes `r[q][i]`), in shuffles every build has.
FTW_INLINE void transpose8(ftw_v8 r[8]) {
  ftw_v8 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
    u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
    u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  for (int q = 0; q < 4; q++) {
    r[q] = __builtin_shufflevector(u[q], u[q + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    r[q + 4] = __builtin_shufflevector(u[q], u[q + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}

// `packed[p * width + i] = source[i * stride + p]` for `lines <= width <= 32` lines over `depth`
// steps, zero in `[lines, width)`: blocks of 8 lines by 8 steps transposed in registers (a plain
// loop would be vectorised into scatters, slow on every x86 CPU). Each step's last group of 8
// may write up to PACK_SLACK floats past the step, which the next step (or the slack after the
// buffer) takes.
FTW_INLINE void pack_lines(const float *source, long stride, long lines, long width, long depth, float *packed) {
  long groups = (width + 7) / 8, p = 0;
  for (; p + 8 <= depth; p += 8) {
    ftw_v8 block[4][8];
    for (long g = 0; g < groups; g++) {
      for (long i = 0; i < 8; i++) {
        long line = 8 * g + i;
        block[g][i] = line < lines ? *(const ftw_v8 *)(source + line * stride + p) : (ftw_v8){0};
      }
      transpose8(block[g]);
    }
    for (long q = 0; q < 8; q++) {
      for (long g = 0; g < groups; g++) *(ftw_v8 *)(packed + (p + q) * width + 8 * g) = block[g][q];
    }
  }
  for (; p < depth; p++) {
    for (long i = 0; i < lines; i++) packed[p * width + i] = source[i * stride + p];
    for (long i = lines; i < width; i++) packed[p * width + i] = 0;
  }
}

#endif
