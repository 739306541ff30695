/* The packed weight layout of av_pack (packed_b32_avx512.c describes it), shared by the packing
   and by every kernel that reads it (512-bit in packed_b32_avx512.c, 256-bit in
   packed_b32_256.h): one source for its sizes and for the Q5_0 high-bit shuffle. */
#ifndef ASYNCVOICE_PACKED_LAYOUT_H
#define ASYNCVOICE_PACKED_LAYOUT_H
#include "internal.h"

#define PACK_ROWS 16 /* output rows per group */

/* 64-byte vectors per group-block: the weights' (Q8_0 8, the 4-bit types 4) and Q5_0's fifth,
   its high bits. */
AV_INLINE int packed_vecs(int type) { return type == AV_Q8_0 ? 8 : type == AV_Q5_0 ? 5 : 4; }

/* Offset of Q5_0's high-bit vector in a group-block: after the four nibble vectors. */
#define PACKED_Q5_HIGH_OFFSET (64 * 4)

/* Bytes of one group-block: the vectors and 64 for the scales (and mins), so every vector is
   64-byte aligned. */
AV_INLINE size_t packed_block_bytes(int type) { return (size_t)64 * (size_t)packed_vecs(type) + 64; }

#if defined(__x86_64__)
#include <immintrin.h>
/* The vpshufb pattern (one 128-bit lane) that copies byte p of every 32-bit lane of Q5_0's high
   bits to the lane's four bytes. */
AV_INLINE __m128i high_bits_pattern(int p) {
  return _mm_setr_epi32(0x01010101 * p, 0x01010101 * (4 + p), 0x01010101 * (8 + p), 0x01010101 * (12 + p));
}
#endif
#endif
