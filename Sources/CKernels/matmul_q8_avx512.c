/* The 8-bit kernels for AVX-512 VNNI: the K-quants on 512-bit registers (two 32-value sub-blocks
   per register, vpmaddubsw + vpdpwssd), the 32-value types with 256-bit vpdpbusd (their blocks
   are 32 bytes). Compiled with per-function target attributes, so the build stays portable. */
#if defined(__x86_64__)
#include "q8_types.h"

#define KT "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"
#define Z_INLINE static inline __attribute__((always_inline, target(KT)))

/* sum of the 16 int32 lanes' two halves, as 8 floats */
Z_INLINE __m256 half_sum(__m512i s) {
  return _mm256_cvtepi32_ps(_mm256_add_epi32(_mm512_castsi512_si256(s), _mm512_extracti64x4_epi64(s, 1)));
}

Z_INLINE void q4k_rows_avx512vnni(const uint8_t *row, int nsb, const q8k_block *x, int RN, float *out) {
  __m256 acc[KQ_ROWS];
  for (int r = 0; r < RN; r++) acc[r] = _mm256_setzero_ps();
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  const __m512i shift = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(4), 1);
  for (int sb = 0; sb < nsb; sb++) {
    const uint8_t *blk = row + (size_t)144 * sb;
    PREFETCH_AHEAD(blk);
    q4k_scales s = q4k_unpack_scales(blk + 4);
    const float d = _cvtsh_ss(rd16(blk)), dmin = _cvtsh_ss(rd16(blk + 2));
    const __m512i sm = _mm512_castsi256_si512(
        _mm256_cvtepu8_epi16(_mm_set_epi32((int)s.mn[1], (int)s.mn[0], (int)s.sc[1], (int)s.sc[0])));
    __m128i mn8 = _mm_cvtepu8_epi16(_mm_set_epi32(0, 0, (int)s.mn[1], (int)s.mn[0]));
    const __m256i mins = _mm256_set_m128i(_mm_unpackhi_epi16(mn8, mn8), _mm_unpacklo_epi16(mn8, mn8));
    /* pair p: sub-blocks 2p (low nibbles) and 2p+1 (high nibbles) of the same 32 bytes */
    __m512i q[4], sc[4];
    for (int p = 0; p < 4; p++) {
      __m512i bytes = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(blk + 16 + 32 * p)));
      q[p] = _mm512_and_si512(_mm512_srlv_epi16(bytes, shift), m4);
      /* int16 lanes 0-15: scale 2p, 16-31: scale 2p+1 */
      __m512i idx = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi16((short)(2 * p))),
                                       _mm256_set1_epi16((short)(2 * p + 1)), 1);
      sc[p] = _mm512_permutexvar_epi16(idx, sm);
    }
    for (int r = 0; r < RN; r++) {
      const q8k_block *xb = x + (size_t)r * nsb + sb;
      __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
      s0 = _mm512_dpwssd_epi32(s0, _mm512_maddubs_epi16(q[0], _mm512_loadu_si512(xb->q)), sc[0]);
      s1 = _mm512_dpwssd_epi32(s1, _mm512_maddubs_epi16(q[1], _mm512_loadu_si512(xb->q + 64)), sc[1]);
      s0 = _mm512_dpwssd_epi32(s0, _mm512_maddubs_epi16(q[2], _mm512_loadu_si512(xb->q + 128)), sc[2]);
      s1 = _mm512_dpwssd_epi32(s1, _mm512_maddubs_epi16(q[3], _mm512_loadu_si512(xb->q + 192)), sc[3]);
      __m256i m = _mm256_madd_epi16(mins, _mm256_loadu_si256((const __m256i *)xb->bsums));
      acc[r] = _mm256_fmadd_ps(half_sum(_mm512_add_epi32(s0, s1)), _mm256_set1_ps(d * xb->d), acc[r]);
      acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(m), _mm256_set1_ps(-dmin * xb->d), acc[r]);
    }
  }
  for (int r = 0; r < RN; r++) out[r] = hsum256(acc[r]);
}

Z_INLINE void q6k_rows_avx512vnni(const uint8_t *row, int nsb, const q8k_block *x, int RN, float *out) {
  __m256 acc[KQ_ROWS];
  for (int r = 0; r < RN; r++) acc[r] = _mm256_setzero_ps();
  const __m512i m4 = _mm512_set1_epi8(0x0F), m30 = _mm512_set1_epi8(0x30);
  const __m512i shl = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi16(4)), _mm256_set1_epi16(2), 1);
  const __m512i shr = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(2), 1);
  for (int sb = 0; sb < nsb; sb++) {
    const uint8_t *blk = row + (size_t)210 * sb;
    PREFETCH_AHEAD(blk);
    const float d = _cvtsh_ss(rd16(blk + 208));
    const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(blk + 192)));
    const __m512i scz = _mm512_castsi256_si512(sc16);
    __m512i q[4], sc[4];
    for (int n = 0; n < 2; n++) {
      __m512i l = _mm512_loadu_si512(blk + 64 * n);
      __m512i h = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(blk + 128 + 32 * n)));
      /* pair 2n: sub-blocks 4n (ql[0..31] low, qh bits 0-1) and 4n+1 (ql[32..63] low, bits 2-3) */
      q[2 * n] = _mm512_or_si512(_mm512_and_si512(l, m4), _mm512_and_si512(_mm512_sllv_epi16(h, shl), m30));
      /* pair 2n+1: sub-blocks 4n+2 (high nibbles, bits 4-5) and 4n+3 (bits 6-7) */
      q[2 * n + 1] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(l, 4), m4),
                                     _mm512_and_si512(_mm512_srlv_epi16(h, shr), m30));
    }
    for (int p = 0; p < 4; p++) {
      /* int16 lanes 8k..8k+7 take scale 4p+k */
      __m512i idx = _mm512_set_epi16(
          4 * p + 3, 4 * p + 3, 4 * p + 3, 4 * p + 3, 4 * p + 3, 4 * p + 3, 4 * p + 3, 4 * p + 3,
          4 * p + 2, 4 * p + 2, 4 * p + 2, 4 * p + 2, 4 * p + 2, 4 * p + 2, 4 * p + 2, 4 * p + 2,
          4 * p + 1, 4 * p + 1, 4 * p + 1, 4 * p + 1, 4 * p + 1, 4 * p + 1, 4 * p + 1, 4 * p + 1,
          4 * p, 4 * p, 4 * p, 4 * p, 4 * p, 4 * p, 4 * p, 4 * p);
      sc[p] = _mm512_permutexvar_epi16(idx, scz);
    }
    for (int r = 0; r < RN; r++) {
      const q8k_block *xb = x + (size_t)r * nsb + sb;
      __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
      s0 = _mm512_dpwssd_epi32(s0, _mm512_maddubs_epi16(q[0], _mm512_loadu_si512(xb->q)), sc[0]);
      s1 = _mm512_dpwssd_epi32(s1, _mm512_maddubs_epi16(q[1], _mm512_loadu_si512(xb->q + 64)), sc[1]);
      s0 = _mm512_dpwssd_epi32(s0, _mm512_maddubs_epi16(q[2], _mm512_loadu_si512(xb->q + 128)), sc[2]);
      s1 = _mm512_dpwssd_epi32(s1, _mm512_maddubs_epi16(q[3], _mm512_loadu_si512(xb->q + 192)), sc[3]);
      __m512i s = _mm512_add_epi32(s0, s1);
      __m256i off = _mm256_slli_epi32(_mm256_madd_epi16(sc16, _mm256_loadu_si256((const __m256i *)xb->bsums)), 5);
      __m256i si = _mm256_sub_epi32(_mm256_add_epi32(_mm512_castsi512_si256(s), _mm512_extracti64x4_epi64(s, 1)), off);
      acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(si), _mm256_set1_ps(d * xb->d), acc[r]);
    }
  }
  for (int r = 0; r < RN; r++) out[r] = hsum256(acc[r]);
}

#define SFX avx512vnni
#define DOT_US(u, s) _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s)
#define DOT_ACC16(acc, p, sc) _mm256_dpwssd_epi32(acc, p, sc)
#define KQ_ZMM 1
#include "q8_kernels.h"
#endif
