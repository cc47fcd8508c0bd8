import CFTWKernels

/// The sizes of one core's data caches, which the blocked GEMM sizes its blocks from: Linux's
/// sysfs report for cpu0, else the C library's, else 32 KiB, 1 MiB and 8 MiB.
///
/// ```swift
/// print(CPUCaches.bytes(level: 1) >> 10)   // 32 (KiB of L1 data cache)
/// ```
public enum CPUCaches {
  /// Bytes of the level-`level` (1, 2 or 3) data or unified cache; 0 for another level.
  public static func bytes(level: Int) -> Int { Int(ftw_cache_bytes(Int32(clamping: level))) }
}
