/* The K-quant prefill GEMM (gemm_kq_256.h: tiles of 8 output rows, one per 32-bit lane) for
   CPUs without AVX-512: AVX2 (vpmaddubsw + vpmaddwd) and AVX-VNNI (vpdpbusd). */
#if defined(__x86_64__)
#include "q8_types.h"
#include <stdlib.h>

#define SFX avx2
#define KT "avx2,fma,f16c"
#define VNNI 0
#include "gemm_kq_256.h"
#undef SFX
#undef KT
#undef VNNI

#define SFX avxvnni
#define KT "avx2,fma,f16c,avxvnni"
#define VNNI 1
#include "gemm_kq_256.h"
#undef SFX
#undef KT
#undef VNNI
#endif
