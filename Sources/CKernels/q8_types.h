/* Activation layouts of the 8-bit kernels and the weight decoders they share. */
#ifndef ASYNCVOICE_Q8_TYPES_H
#define ASYNCVOICE_Q8_TYPES_H
#if defined(__x86_64__)
#include "avx2_common.h"

/* 32 activations: q = round(x / d), s = d * sum(q) (for the types with a min). */
typedef struct { float d, s; int8_t q[32]; } q8_block;
/* 256 activations under one scale, with sums of each 16 (llama.cpp's Q8_K): the K-quant kernels
   sum a whole superblock in integers. */
typedef struct { float d; int16_t bsums[16]; int8_t q[256]; } q8k_block;
/* Per activation row and superblock, what the prefill GEMMs (gemm_kq_avx512.c, gemm_kq_256.h) add
   outside their integer sums: Q4_K's sums of each 32 activations as floats (for the mins), Q6_K's
   -32 * sums of each 16 (its offset, the initial value of the integer sum). av_kq_xextra. */
typedef struct { float bs[8]; int32_t off[16]; } kq_xextra;

/* Weights stream from memory once per step; with a second process on the core the hardware
   prefetcher fell behind (the kernel stalled on its weight loads in `perf annotate`). Ask for the
   lines of the superblock PREFETCH_DIST bytes ahead (across row ends: rows are contiguous). */
#define PREFETCH_DIST 2048
#define PREFETCH_AHEAD(p)                                                                           \
  do {                                                                                              \
    _mm_prefetch((const char *)(p) + PREFETCH_DIST, _MM_HINT_T0);                                   \
    _mm_prefetch((const char *)(p) + PREFETCH_DIST + 64, _MM_HINT_T0);                              \
    _mm_prefetch((const char *)(p) + PREFETCH_DIST + 128, _MM_HINT_T0);                             \
  } while (0)

/* Activation rows per pass of the K-quant kernels (weights decoded once per pass). */
#define KQ_ROWS 8

/* A decoded weight block: 32 int8 weights (unsigned 0..31 for the types with a min) and its
   scale and min as lanes 0 and 1 of one vector (both f16 values converted by one vcvtph2ps from a
   zero-extending load; scalar f16 loads merged into a live register and chained the blocks). */
typedef struct { __m256i q; __m128 dm; } wblock;

AVX2_INLINE int type_has_min(int type) { return type == AV_Q4_1 || type == AV_Q5_1; }

AVX2_INLINE wblock decode_block(int type, const uint8_t *blk) {
  wblock w;
  w.dm = _mm_cvtph_ps(_mm_cvtsi32_si128(type_has_min(type) ? (int)rd32(blk) : (int)rd16(blk)));
  switch (type) {
    case AV_Q4_0: w.q = _mm256_sub_epi8(nibbles32(blk + 2), _mm256_set1_epi8(8)); break;
    case AV_Q4_1: w.q = nibbles32(blk + 4); break;
    case AV_Q5_0:
      w.q = _mm256_or_si256(nibbles32(blk + 6), _mm256_andnot_si256(bits32(blk + 2), _mm256_set1_epi8((char)0xF0)));
      break;
    case AV_Q5_1:
      w.q = _mm256_or_si256(nibbles32(blk + 8), _mm256_and_si256(bits32(blk + 4), _mm256_set1_epi8(0x10)));
      break;
    default: w.q = _mm256_loadu_si256((const __m256i *)(blk + 2)); break; /* Q8_0 */
  }
  return w;
}

/* Q4_K's twelve scale bytes as 8 six-bit scales and 8 mins, one byte each (sc[0] = scales 0-3,
   sc[1] = 4-7; the layout of get_scale_min_k4, four at a time). */
typedef struct { uint32_t sc[2], mn[2]; } q4k_scales;
AVX2_INLINE q4k_scales q4k_unpack_scales(const uint8_t *p) {
  uint32_t u0 = rd32(p), u1 = rd32(p + 4), u2 = rd32(p + 8);
  q4k_scales s;
  s.sc[0] = u0 & 0x3f3f3f3fu;
  s.mn[0] = u1 & 0x3f3f3f3fu;
  s.sc[1] = (u2 & 0x0f0f0f0fu) | (((u0 >> 6) & 0x03030303u) << 4);
  s.mn[1] = ((u2 >> 4) & 0x0f0f0f0fu) | (((u1 >> 6) & 0x03030303u) << 4);
  return s;
}
#endif
#endif
