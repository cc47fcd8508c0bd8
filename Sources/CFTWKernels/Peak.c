// Register-only loops that measure the arithmetic rate of one core: twelve independent
// accumulators, enough to cover the latency of every FMA unit in use today (two ports of four
// cycles need eight), and no memory access in the loop.
#include "CPU.h"
#include "Peak.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { CHAINS = 12 };

// One round: every chain takes one step of `acc = acc * x + y`. The empty assembly statement keeps
// the accumulators in registers and the loop from being folded away.
#define FTW_PEAK_LOOP(vector, constraint, step)                                                       \
  vector acc[CHAINS];                                                                                 \
  for (int i = 0; i < CHAINS; i++) acc[i] = x * (float)(i + 1);                                       \
  for (long r = 0; r < rounds; r++) {                                                                 \
    for (int i = 0; i < CHAINS; i++) acc[i] = step;                                                   \
    __asm__ volatile("" : "+" constraint(acc[0]), "+" constraint(acc[1]), "+" constraint(acc[2]),      \
                     "+" constraint(acc[3]), "+" constraint(acc[4]), "+" constraint(acc[5]));           \
    __asm__ volatile("" : "+" constraint(acc[6]), "+" constraint(acc[7]), "+" constraint(acc[8]),      \
                     "+" constraint(acc[9]), "+" constraint(acc[10]), "+" constraint(acc[11]));        \
  }                                                                                                   \
  float sum = 0;                                                                                      \
  for (int i = 0; i < CHAINS; i++) sum += acc[i][0];                                                  \
  __asm__ volatile("" : : "r"(sum));

typedef float ftw_v4 __attribute__((vector_size(16)));

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static double fp32_avx512(long rounds) {
  ftw_v16 x = (ftw_v16){0} + 0.999f, y = (ftw_v16){0} + 0.001f;
  FTW_PEAK_LOOP(ftw_v16, "v", acc[i] * x + y)
  return (double)rounds * CHAINS * 16 * 2;
}

__attribute__((target("avx2,fma"))) static double fp32_avx2(long rounds) {
  ftw_v8 x = (ftw_v8){0} + 0.999f, y = (ftw_v8){0} + 0.001f;
  FTW_PEAK_LOOP(ftw_v8, "x", acc[i] * x + y)
  return (double)rounds * CHAINS * 8 * 2;
}

__attribute__((target("avx512f,avx512bf16"))) static double bf16_avx512(long rounds) {
  __m512 x = _mm512_set1_ps(0.999f);
  // Pairs of bfloat16 ones (0x3f80): each step adds 2 to every lane.
  __m512bh ones = (__m512bh)_mm512_set1_epi32(0x3f803f80);
  FTW_PEAK_LOOP(__m512, "v", _mm512_dpbf16_ps(acc[i], ones, ones))
  return (double)rounds * CHAINS * 16 * 4;
}
#endif

static double fp32_generic(long rounds) {
  ftw_v4 x = (ftw_v4){0} + 0.999f, y = (ftw_v4){0} + 0.001f;
  FTW_PEAK_LOOP(ftw_v4, "x", acc[i] * x + y)
  return (double)rounds * CHAINS * 4 * 2;
}

int ftw_peak_available(ftw_peak_kind kind, ftw_isa isa) {
  if (kind == FTW_PEAK_FP32) return 1;
  return ftw_isa_supported(isa) == FTW_ISA_AVX512 && ftw_cpu_has_bf16();
}

double ftw_peak_run(ftw_peak_kind kind, ftw_isa isa, long rounds) {
  if (!ftw_peak_available(kind, isa) || rounds <= 0) return 0;
#if defined(__x86_64__)
  if (kind == FTW_PEAK_BF16) return bf16_avx512(rounds);
  switch (ftw_isa_supported(isa)) {
  case FTW_ISA_AVX512: return fp32_avx512(rounds);
  case FTW_ISA_AVX2: return fp32_avx2(rounds);
  default: break;
  }
#endif
  return fp32_generic(rounds);
}
