/* The K-quant prefill GEMM (gemm_kq_256.h: tiles of 8 output rows, one per 32-bit lane) for
   CPUs without AVX-512: AVX2 (vpmaddubsw + vpmaddwd) and AVX-VNNI (vpdpbusd). */
#if defined(__x86_64__)
#include "q8_types.h"
#include <stdlib.h>

#define ISA256_BODY "gemm_kq_256.h"
#include "isa256_each.h"
#endif
