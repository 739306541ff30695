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


/* Four weight rows at once for the 32-value block types (decode steps of 1-5 activation rows):
   weight row k's values 0-15 sit in 128-bit lane k of `lo` and 16-31 in lane k of `hi`, the
   activation block's halves are broadcast to all four lanes, so two vpdpbusd give four rows'
   partial sums (lanes 4k..4k+3 belong to row k). The weights are used unsigned (Q4_0 nibble,
   Q5_0 five bits, Q8_0 byte + 128) and the offset comes back as a min, value = d·u + m with
   m = -8d, -16d, -128d or the block's own: Σ(d·u + m)·dx·q = d·dx·Σu·q + m·s, s = dx·Σq. Per
   activation row and block that is 10 instructions for 4 × 32 products (the one-row kernel
   spends 8 on 32). */
typedef struct { __m512i lo, hi; __m512 d; __m128 m; } wblock4;

/* 16 bytes from each of the four rows at p, p + rb, p + 2rb, p + 3rb, as the four lanes. */
Z_INLINE __m512i load4x16(const uint8_t *p, size_t rb) {
  __m512i z = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)p));
  z = _mm512_inserti32x4(z, _mm_loadu_si128((const __m128i *)(p + rb)), 1);
  z = _mm512_inserti32x4(z, _mm_loadu_si128((const __m128i *)(p + 2 * rb)), 2);
  return _mm512_inserti32x4(z, _mm_loadu_si128((const __m128i *)(p + 3 * rb)), 3);
}

/* The 5th bits of the four rows' 32 values (qh, 32 bits each at p + k·rb) as byte masks of lo
   (values 0-15) and hi (16-31). */
Z_INLINE void qh4(const uint8_t *p, size_t rb, __mmask64 *lo, __mmask64 *hi) {
  uint64_t l = 0, h = 0;
  for (int k = 0; k < 4; k++) {
    uint64_t q = rd32(p + (size_t)k * rb);
    l |= (q & 0xFFFF) << (16 * k);
    h |= (q >> 16) << (16 * k);
  }
  *lo = _cvtu64_mask64(l);
  *hi = _cvtu64_mask64(h);
}

Z_INLINE wblock4 decode4(int type, const uint8_t *b, size_t rb) {
  wblock4 w;
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  /* Each block starts with its f16 scale (and min): the four rows' first 4 bytes in one vector,
     converted at once, lanes [d0 m0 d1 m1 d2 m2 d3 m3] (m lanes unused for the types without a
     min). Four scalar stores read back as one vector would stall on store forwarding. */
  const __m256 dm = _mm256_cvtph_ps(_mm_set_epi32((int)rd32(b + 3 * rb), (int)rd32(b + 2 * rb), (int)rd32(b + rb), (int)rd32(b)));
  w.d = _mm512_permutexvar_ps(_mm512_set_epi32(6, 6, 6, 6, 4, 4, 4, 4, 2, 2, 2, 2, 0, 0, 0, 0), _mm512_castps256_ps512(dm));
  if (type_has_min(type)) {
    w.m = _mm256_castps256_ps128(_mm256_permutevar8x32_ps(dm, _mm256_setr_epi32(1, 3, 5, 7, 1, 3, 5, 7)));
  } else {
    const float off = type == AV_Q4_0 ? -8.0f : type == AV_Q5_0 ? -16.0f : -128.0f;
    w.m = _mm_mul_ps(_mm256_castps256_ps128(_mm256_permutevar8x32_ps(dm, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6))),
                     _mm_set1_ps(off));
  }
  if (type == AV_Q8_0) {
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    w.lo = _mm512_xor_si512(load4x16(b + 2, rb), flip);
    w.hi = _mm512_xor_si512(load4x16(b + 18, rb), flip);
  } else {
    int qs = type == AV_Q4_0 ? 2 : type == AV_Q4_1 ? 4 : type == AV_Q5_0 ? 6 : 8;
    __m512i z = load4x16(b + qs, rb);
    w.lo = _mm512_and_si512(z, m4);
    w.hi = _mm512_and_si512(_mm512_srli_epi16(z, 4), m4);
    if (type == AV_Q5_0 || type == AV_Q5_1) {
      __mmask64 ml, mh;
      qh4(b + (type == AV_Q5_0 ? 2 : 4), rb, &ml, &mh);
      const __m512i bit4 = _mm512_set1_epi8(0x10);
      w.lo = _mm512_mask_add_epi8(w.lo, ml, w.lo, bit4);
      w.hi = _mm512_mask_add_epi8(w.hi, mh, w.hi, bit4);
    }
  }
  return w;
}

#define ROWS4_BLOCK(ACC, B)                                                                         \
  do {                                                                                              \
    wblock4 w = decode4(type, W + (size_t)(B) * bb, rowBytes);                                      \
    for (int r = 0; r < RN; r++) {                                                                  \
      const q8_block *xb = x + (size_t)r * nb + (B);                                                \
      __m512i xl = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)xb->q));                 \
      __m512i xh = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(xb->q + 16)));          \
      __m512i s = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), w.lo, xl), w.hi, xh); \
      ACC[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(w.d, _mm512_set1_ps(xb->d)), ACC[r]); \
      macc[r] = _mm_fmadd_ps(w.m, _mm_set1_ps(xb->s), macc[r]);                                    \
    }                                                                                               \
  } while (0)

/* Weight rows W, W + rowBytes, ... (4 of them, bb bytes per block) against RN ≤ 4 activation
   rows; out[r * 4 + k] = row k · activation r. */
Z_INLINE void rows4_q8(int type, int bb, const uint8_t *W, size_t rowBytes, int nb, const q8_block *x, int RN,
                       float *out) {
  __m512 acc0[4], acc1[4];
  __m128 macc[4];
  for (int r = 0; r < 4; r++) {
    acc0[r] = acc1[r] = _mm512_setzero_ps();
    macc[r] = _mm_setzero_ps();
  }
  int b = 0;
  for (; b + 2 <= nb; b += 2) {
    /* the same place in the next four rows: the group's four streams are one contiguous region */
    for (int k = 4; k < 8; k++) _mm_prefetch((const char *)W + (size_t)k * rowBytes + (size_t)bb * b, _MM_HINT_T0);
    ROWS4_BLOCK(acc0, b);
    ROWS4_BLOCK(acc1, b + 1);
  }
  if (b < nb) ROWS4_BLOCK(acc0, b);
  for (int r = 0; r < RN; r++) {
    /* lanes 4k..4k+3 -> row k: add the 256-bit halves (rows 0,1 + rows 2,3 lanes), then pairs */
    __m512 a = _mm512_add_ps(acc0[r], acc1[r]);
    __m256 lo = _mm512_castps512_ps256(a), hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1));
    /* lo = [row0 ×4 | row1 ×4], hi = [row2 ×4 | row3 ×4] */
    __m256 h = _mm256_hadd_ps(lo, hi);  /* [r0 r0 r2 r2 | r1 r1 r3 r3] */
    h = _mm256_hadd_ps(h, h);           /* [r0 r2 r0 r2 | r1 r3 r1 r3] */
    __m128 t = _mm256_castps256_ps128(h), u = _mm256_extractf128_ps(h, 1);
    __m128 rows = _mm_unpacklo_ps(t, u); /* [r0 r1 r2 r3] */
    _mm_storeu_ps(out + 4 * r, _mm_add_ps(rows, macc[r]));
  }
}
#undef ROWS4_BLOCK
#define KQ_ROWS4 1

#define SFX avx512vnni
#define DOT_US(u, s) _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s)
#define DOT_ACC16(acc, p, sc) _mm256_dpwssd_epi32(acc, p, sc)
#define KQ_ZMM 1
#include "q8_kernels.h"
#endif
