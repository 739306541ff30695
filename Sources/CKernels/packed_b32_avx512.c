/* Weights repacked once at load for the 32-value block types Q4_0, Q4_1, Q5_0 and Q8_0, and the
   AVX-512 VNNI kernel that reads them (decode steps and prefill alike).

   Layout: groups of 16 output rows; per group and block (packed_block_bytes), the rows' quantized
   bytes transposed by 32-bit words (vector p, lane i = bytes 4p..4p+3 of row i's block), then the
   16 rows' f16 scales d, then (Q4_1) their f16 mins. For Q4_0/Q4_1 the 16 bytes of a block hold
   value j in the low nibble of byte j and value j+16 in the high one, so vector p's low nibbles
   are values 4p..4p+3 and its high nibbles 16+4p..; Q5_0 adds a vector of its high bits
   (pack_high_bits: byte p of lane i serves vector p), set into bit 4 of the nibbles with one
   shuffle and two masked adds per vector; Q8_0's bytes are stored with the sign bit flipped
   (q + 128, unsigned). The size is the file's (Q4_1) or 6-11 % more (padding to 64 bytes).

   Why: the four-row kernel (matmul_q8_avx512.c) decodes every block from the file's layout in
   each step, about 14 instructions per 4 rows and block before one activation row is touched,
   and spends 6 more per activation row; SmolLM2, whose weights sit in this CPU's L3, was bound
   by those instructions, so a second row cost 0.4 of a step. Here a block of 16 rows costs 12
   instructions to unpack, and each activation row 8 vpdpbusd (64 products each) and 4 more.
   Output row i of a group lands in lane i: nothing is reduced across lanes. */
#include "packed_layout.h"
#include <stdlib.h>

int av_packable(int type) { return type == AV_Q4_0 || type == AV_Q4_1 || type == AV_Q5_0 || type == AV_Q8_0; }

/* Q5_0's 32 high bits of one row's block (bit j: value j) rearranged for the nibble vectors:
   byte p holds in its low half the bits of values 4p..4p+3 (vector p's low nibbles) and in its
   high half those of values 16+4p..16+4p+3 (its high nibbles). */
static uint32_t pack_high_bits(uint32_t qh) {
  uint32_t out = 0;
  for (int p = 0; p < 4; p++) out |= (((qh >> (4 * p)) & 0xFu) | (((qh >> (16 + 4 * p)) & 0xFu) << 4)) << (8 * p);
  return out;
}

size_t av_packed_bytes(int type, int nOut, int nIn) {
  if (!av_packable(type) || nIn % 32 != 0 || nOut < PACK_ROWS) return 0;
  return (size_t)(nOut / PACK_ROWS) * (size_t)(nIn / 32) * packed_block_bytes(type);
}

/* Groups [g0, g1) of av_pack. Rows are copied by 32-bit words (a lane's four bytes). */
static void pack_groups(int type, const void *W, size_t rowBytes, int nIn, void *P, int g0, int g1) {
  const int nb = nIn / 32, bb = av_type_block_bytes(type), nv = packed_vecs(type);
  const int qs = type == AV_Q4_1 ? 4 : type == AV_Q5_0 ? 6 : 2, nq = type == AV_Q8_0 ? 8 : 4;
  const uint32_t flip = type == AV_Q8_0 ? 0x80808080u : 0;
  const size_t tb = packed_block_bytes(type);
  for (int g = g0; g < g1; g++)
    for (int b = 0; b < nb; b++) {
      uint8_t *dst = (uint8_t *)P + ((size_t)g * (size_t)nb + (size_t)b) * tb;
      for (int i = 0; i < PACK_ROWS; i++) {
        const uint8_t *blk = (const uint8_t *)W + rowBytes * (size_t)(PACK_ROWS * g + i) + (size_t)bb * (size_t)b;
        for (int p = 0; p < nq; p++) {
          uint32_t w = rd32(blk + qs + 4 * p) ^ flip;
          memcpy(dst + 64 * p + 4 * i, &w, 4);
        }
        if (type == AV_Q5_0) {
          uint32_t hb = pack_high_bits(rd32(blk + 2));
          memcpy(dst + PACKED_Q5_HIGH_OFFSET + 4 * i, &hb, 4);
        }
        memcpy(dst + 64 * nv + 2 * i, blk, 2);
        if (type == AV_Q4_1) memcpy(dst + 64 * nv + 32 + 2 * i, blk + 2, 2);
      }
    }
}

typedef struct { int type; const void *W; size_t rowBytes; int nGroups, nIn; void *P; } pack_ctx;

static void pack_task(void *p, int ith, int nth) {
  const pack_ctx *c = (const pack_ctx *)p;
  int per = (c->nGroups + nth - 1) / nth, g0 = ith * per, g1 = g0 + per < c->nGroups ? g0 + per : c->nGroups;
  if (g0 < g1) pack_groups(c->type, c->W, c->rowBytes, c->nIn, c->P, g0, g1);
}

/* Split over the pool's threads by groups: packing is most of the load time of a model whose
   weights are mostly packed types (the 0.5B: 0.98 s on one thread). */
void av_pack(int type, const void *W, size_t rowBytes, int nOut, int nIn, void *P) {
  pack_ctx c = {type, W, rowBytes, nOut / PACK_ROWS, nIn, P};
  av_pool_run(pack_task, &c);
}

#if defined(__x86_64__)
#include "q8_types.h"

#define PT "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"
#define P_FN __attribute__((target(PT)))
#define P_INLINE static inline __attribute__((always_inline, target(PT)))
#define P_NR 8 /* activation rows per register tile */

/* One group (16 output rows) against NR activation rows: y[r * ldy + i] for i < 16. */
P_INLINE void packed_group(int type, const uint8_t *G, int nb, const q8_block *x, int NR, float *y, int ldy) {
  const int nv = packed_vecs(type);
  const size_t tb = packed_block_bytes(type);
  const float off = type == AV_Q4_0 ? -8.0f : type == AV_Q5_0 ? -16.0f : -128.0f;
  const __m512i m4 = _mm512_set1_epi8(0x0F), c16 = _mm512_set1_epi8(0x10);
  const __m512i bitlo = _mm512_set1_epi32(0x08040201), bithi = _mm512_set1_epi32((int)0x80402010);
  __m512 res[P_NR], mres[P_NR];
  for (int r = 0; r < NR; r++) res[r] = mres[r] = _mm512_setzero_ps();
  for (int b = 0; b < nb; b++) {
    const uint8_t *t = G + (size_t)b * tb;
    _mm_prefetch((const char *)t + 16 * tb, _MM_HINT_T0);
    _mm_prefetch((const char *)t + 16 * tb + 64, _MM_HINT_T0);
    _mm_prefetch((const char *)t + 16 * tb + 128, _MM_HINT_T0);
    _mm_prefetch((const char *)t + 16 * tb + 192, _MM_HINT_T0);
    _mm_prefetch((const char *)t + 16 * tb + 256, _MM_HINT_T0);
    __m512i acc[P_NR];
    for (int r = 0; r < NR; r++) acc[r] = _mm512_setzero_si512();
    if (type == AV_Q8_0) {
      for (int p = 0; p < 8; p++) {
        __m512i w = _mm512_load_si512((const void *)(t + 64 * p));
        for (int r = 0; r < NR; r++)
          acc[r] = _mm512_dpbusd_epi32(acc[r], w, _mm512_set1_epi32(*(const int32_t *)(x[(size_t)r * nb + b].q + 4 * p)));
      }
    } else {
      const __m512i hb = type == AV_Q5_0 ? _mm512_load_si512((const void *)(t + PACKED_Q5_HIGH_OFFSET)) : _mm512_setzero_si512();
      for (int p = 0; p < 4; p++) {
        __m512i z = _mm512_load_si512((const void *)(t + 64 * p));
        __m512i lo = _mm512_and_si512(z, m4), hi = _mm512_and_si512(_mm512_srli_epi16(z, 4), m4);
        if (type == AV_Q5_0) { /* byte p of each lane's high bits to its four bytes, bit j to byte j */
          __m512i rep = _mm512_shuffle_epi8(hb, _mm512_broadcast_i32x4(high_bits_pattern(p)));
          lo = _mm512_mask_add_epi8(lo, _mm512_test_epi8_mask(rep, bitlo), lo, c16);
          hi = _mm512_mask_add_epi8(hi, _mm512_test_epi8_mask(rep, bithi), hi, c16);
        }
        for (int r = 0; r < NR; r++) {
          const int8_t *q = x[(size_t)r * nb + b].q;
          acc[r] = _mm512_dpbusd_epi32(acc[r], lo, _mm512_set1_epi32(*(const int32_t *)(q + 4 * p)));
          acc[r] = _mm512_dpbusd_epi32(acc[r], hi, _mm512_set1_epi32(*(const int32_t *)(q + 16 + 4 * p)));
        }
      }
    }
    const __m512 d = _mm512_cvtph_ps(_mm256_load_si256((const __m256i *)(t + 64 * nv)));
    const __m512 m = type == AV_Q4_1 ? _mm512_cvtph_ps(_mm256_load_si256((const __m256i *)(t + 64 * nv + 32)))
                                     : _mm512_mul_ps(d, _mm512_set1_ps(off));
    for (int r = 0; r < NR; r++) {
      const q8_block *xb = x + (size_t)r * nb + b;
      res[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[r]), _mm512_mul_ps(d, _mm512_set1_ps(xb->d)), res[r]);
      mres[r] = _mm512_fmadd_ps(m, _mm512_set1_ps(xb->s), mres[r]);
    }
  }
  for (int r = 0; r < NR; r++) _mm512_storeu_ps(y + (size_t)r * ldy, _mm512_add_ps(res[r], mres[r]));
}

/* Groups [g0, g1) of packed weights P against R q8_block rows of nIn activations. */
P_FN void av_packed_b32_avx512vnni(int type, const void *P, int g0, int g1, int nIn, const void *xq, int R, float *y,
                                   int ldy) {
  const int nb = nIn / 32;
  const size_t gb = (size_t)nb * packed_block_bytes(type);
  const q8_block *x = (const q8_block *)xq;
  for (int g = g0; g < g1; g++) {
    const uint8_t *G = (const uint8_t *)P + gb * (size_t)g;
    for (int r0 = 0; r0 < R; r0 += P_NR) {
      int rn = R - r0 < P_NR ? R - r0 : P_NR;
      const q8_block *xr = x + (size_t)r0 * nb;
      float *yr = y + (size_t)r0 * ldy + PACK_ROWS * g;
      switch (rn) {
        case 1: packed_group(type, G, nb, xr, 1, yr, ldy); break;
        case 2: packed_group(type, G, nb, xr, 2, yr, ldy); break;
        case 3: packed_group(type, G, nb, xr, 3, yr, ldy); break;
        case 4: packed_group(type, G, nb, xr, 4, yr, ldy); break;
        case 5: packed_group(type, G, nb, xr, 5, yr, ldy); break;
        case 6: packed_group(type, G, nb, xr, 6, yr, ldy); break;
        case 7: packed_group(type, G, nb, xr, 7, yr, ldy); break;
        default: packed_group(type, G, nb, xr, 8, yr, ldy); break;
      }
    }
  }
}
#endif
