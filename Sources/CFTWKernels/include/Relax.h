#ifndef CFTWKERNELS_RELAX_H
#define CFTWKERNELS_RELAX_H
/// Tells the CPU that the caller is spinning on a memory location (x86 `pause`, Arm `yield`).
void ftw_cpu_relax(void);
#endif
