#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static ftw_isa detected_bf16(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (ftw_cpu_isa() == FTW_ISA_AVX512 && __builtin_cpu_supports("avx512bf16")) return 1;
#endif
  return 0;
}

int ftw_cpu_has_bf16(void) {
  static int slot = -1;
  return (int)cached(&slot, detected_bf16);
}

int ftw_bf16_available(void) { return ftw_kernel_isa() == FTW_ISA_AVX512 && ftw_cpu_has_bf16(); }

const char *ftw_isa_name(ftw_isa isa) {
  switch (isa) {
  case FTW_ISA_AVX512: return "avx512";
  case FTW_ISA_AVX2: return "avx2+fma";
  default: return "generic";
  }
}

// The size of cpu0's level-`level` data or unified cache from sysfs, or 0.
static long sysfs_cache_bytes(int level) {
  for (int index = 0; index < 8; index++) {
    char path[96], type[32] = {0};
    int found_level = 0;
    long size = 0;
    char unit = 0;
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", index);
    FILE *file = fopen(path, "r");
    if (!file) return 0;
    int read = fscanf(file, "%d", &found_level);
    fclose(file);
    if (read != 1 || found_level != level) continue;
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", index);
    if ((file = fopen(path, "r"))) {
      read = fscanf(file, "%31s", type);
      fclose(file);
      if (read != 1 || strcmp(type, "Instruction") == 0) continue;
    }
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
    if (!(file = fopen(path, "r"))) continue;
    read = fscanf(file, "%ld%c", &size, &unit);
    fclose(file);
    if (read < 1 || size <= 0 || size > (1L << 32)) continue;
    return unit == 'K' ? size << 10 : unit == 'M' ? size << 20 : size;
  }
  return 0;
}

static long detected_cache_bytes(int level) {
  long bytes = sysfs_cache_bytes(level);
#ifdef _SC_LEVEL1_DCACHE_SIZE
  if (bytes <= 0) {
    int name = level == 1 ? _SC_LEVEL1_DCACHE_SIZE : level == 2 ? _SC_LEVEL2_CACHE_SIZE : _SC_LEVEL3_CACHE_SIZE;
    bytes = sysconf(name);
  }
#endif
  if (bytes > 0) return bytes;
  return level == 1 ? 32L << 10 : level == 2 ? 1L << 20 : 8L << 20;
}

long ftw_cache_bytes(int level) {
  static long slots[3];
  if (level < 1 || level > 3) return 0;
  long bytes = __atomic_load_n(&slots[level - 1], __ATOMIC_RELAXED);
  if (bytes == 0) {
    bytes = detected_cache_bytes(level);
    __atomic_store_n(&slots[level - 1], bytes, __ATOMIC_RELAXED);
  }
  return bytes;
}
