#include <stdlib.h>
#include <string.h>

#include "CPU.h"

static ftw_isa detected_isa(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) return FTW_ISA_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return FTW_ISA_AVX2;
#endif
  return FTW_ISA_GENERIC;
}

// `compute()` on the first call, then its value; racing first calls compute the same value.
static ftw_isa cached(int *slot, ftw_isa (*compute)(void)) {
  int isa = __atomic_load_n(slot, __ATOMIC_RELAXED);
  if (isa < 0) {
    isa = (int)compute();
    __atomic_store_n(slot, isa, __ATOMIC_RELAXED);
  }
  return (ftw_isa)isa;
}

ftw_isa ftw_cpu_isa(void) {
  static int slot = -1;
  return cached(&slot, detected_isa);
}

ftw_isa ftw_isa_supported(ftw_isa isa) {
  ftw_isa best = ftw_cpu_isa();
  return isa < best ? isa : best;
}

static ftw_isa allowed_isa(void) {
  const char *text = getenv("FTW_ISA");
  ftw_isa requested = FTW_ISA_AVX512;
  if (text != NULL && strcmp(text, "generic") == 0) requested = FTW_ISA_GENERIC;
  if (text != NULL && strcmp(text, "avx2") == 0) requested = FTW_ISA_AVX2;
  return ftw_isa_supported(requested);
}

ftw_isa ftw_kernel_isa(void) {
  static int slot = -1;
  return cached(&slot, allowed_isa);
}

const char *ftw_isa_name(ftw_isa isa) {
  switch (isa) {
  case FTW_ISA_AVX512: return "avx512";
  case FTW_ISA_AVX2: return "avx2+fma";
  default: return "generic";
  }
}
