#ifndef CFTWKERNELS_CPU_FEATURES_H
#define CFTWKERNELS_CPU_FEATURES_H

/// The instruction sets the kernels are built for, in increasing order.
typedef enum {
  /// The compiler's baseline for the target (SSE2 on x86-64, NEON on ARM64).
  FTW_ISA_GENERIC = 0,
  /// AVX2 and FMA: 16 registers of 8 floats.
  FTW_ISA_AVX2 = 1,
  /// AVX-512 (F and VL): 32 registers of 16 floats.
  FTW_ISA_AVX512 = 2,
} ftw_isa;

/// The best instruction set this CPU has.
ftw_isa ftw_cpu_isa(void);

/// `isa` lowered to what this CPU has.
ftw_isa ftw_isa_supported(ftw_isa isa);

/// The instruction set the kernels run on: `ftw_cpu_isa()`, lowered by the environment variable
/// `FTW_ISA` when it names a lower one (`generic`, `avx2`, `avx512`). Read once.
ftw_isa ftw_kernel_isa(void);

/// Whether this CPU has AVX-512 with AVX512_BF16 (`vdpbf16ps`).
int ftw_cpu_has_bf16(void);

/// Whether the bfloat16 kernels run here: this CPU has them and `ftw_kernel_isa()` is AVX-512.
int ftw_bf16_available(void);

/// "generic", "avx2+fma" or "avx512".
const char *ftw_isa_name(ftw_isa isa);

/// Bytes of one core's level-`level` data (or unified) cache, 1 to 3, as Linux reports it in
/// /sys/devices/system/cpu/cpu0/cache (else the C library's sysconf); 32 KiB, 1 MiB and 8 MiB when
/// neither knows. Read once.
long ftw_cache_bytes(int level);

#endif
