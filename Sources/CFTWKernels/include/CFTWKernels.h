// The package's C kernels: the blocked GEMM (fp32 and bfloat16), the small-M products, the
// convolutions as implicit GEMMs (fp32 and bfloat16), the optimisers' updates, the peak-rate loops,
// the caches' sizes and the spin hint of the worker pool.
#ifndef CFTWKERNELS_H
#define CFTWKERNELS_H

#include <stddef.h>

#include "Convolution.h"
#include "Gemm.h"
#include "Optimizers.h"
#include "Peak.h"
#include "Relax.h"
#include "SkinnyGemm.h"

#endif
