// The package's C kernels: the built-in GEMM, the small-M products, the convolutions
// as implicit GEMMs, and the spin hint of the worker pool.
#ifndef CFTWKERNELS_H
#define CFTWKERNELS_H

#include <stddef.h>

#include "Convolution.h"
#include "Gemm.h"
#include "Peak.h"
#include "Relax.h"
#include "SkinnyGemm.h"

#endif
