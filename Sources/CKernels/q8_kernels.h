/* 8-bit activation kernels, compiled once per instruction set by the file that includes this
   template after defining:
     KT        target attribute string ("avx2,fma,f16c", + "avxvnni", or the AVX-512 set)
     SFX       name suffix of the instance
     DOT_US(u, s)          8 int32 sums of 4 products of unsigned bytes u and signed bytes s
     DOT_ACC16(acc, p, sc) acc + pairwise sums of int16 products p * sc (vpmaddwd or vpdpwssd)
     KQ_ZMM    1 if the instance defines its own 512-bit K-quant row functions
                 (q4k_rows_SFX, q6k_rows_SFX with the signature of the 256-bit ones).
   Layouts: q8_block / q8k_block (q8_types.h). */
#include "q8_types.h"

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SFX)
#define KT_FN __attribute__((target(KT)))
#define KT_INLINE static inline __attribute__((always_inline, target(KT)))

/* ---- 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) against q8_block activations ---- */

/* sum of products of 32 unsigned bytes u and signed bytes s, as 8 floats */
KT_INLINE __m256 F(mul_us)(__m256i u, __m256i s) { return _mm256_cvtepi32_ps(DOT_US(u, s)); }

/* One weight block into RN activation rows; accumulators are named, not indexed by block
   parity, so they stay in registers (an `acc[r][b & 1]` array went through the stack).
   [d, m] * [x.d, x.s] gives the block's scale (lane 0) and its min term (lane 1) in one multiply. */
#define ROWS_Q8_BLOCK(ACC, MACC, B)                                                               \
  do {                                                                                            \
    wblock w = decode_block(type, row + (size_t)bb * (B));                                        \
    __m256i aw = type_has_min(type) ? w.q : _mm256_sign_epi8(w.q, w.q);                          \
    for (int r = 0; r < RN; r++) {                                                                \
      const q8_block *xb = x + (size_t)r * nb + (B);                                              \
      __m256i xq = _mm256_loadu_si256((const __m256i *)xb->q);                                    \
      if (!type_has_min(type)) xq = _mm256_sign_epi8(xq, w.q);                                    \
      __m256 p = F(mul_us)(aw, xq);                                                               \
      __m128 prod = _mm_mul_ps(w.dm, _mm_castpd_ps(_mm_load_sd((const double *)&xb->d)));         \
      ACC[r] = _mm256_fmadd_ps(_mm256_broadcastss_ps(prod), p, ACC[r]);                           \
      if (type_has_min(type)) MACC[r] = _mm_add_ps(MACC[r], prod);                                \
    }                                                                                             \
  } while (0)

KT_INLINE void F(rows_q8)(int type, int bb, const uint8_t *row, int nb, const q8_block *x, int RN, float *out) {
  __m256 acc0[4], acc1[4];
  __m128 macc0[4], macc1[4];
  for (int r = 0; r < 4; r++) {
    acc0[r] = acc1[r] = _mm256_setzero_ps();
    macc0[r] = macc1[r] = _mm_setzero_ps();
  }
  int b = 0;
  for (; b + 2 <= nb; b += 2) {
    _mm_prefetch((const char *)row + (size_t)bb * b + PREFETCH_DIST, _MM_HINT_T0);
    ROWS_Q8_BLOCK(acc0, macc0, b);
    ROWS_Q8_BLOCK(acc1, macc1, b + 1);
  }
  if (b < nb) ROWS_Q8_BLOCK(acc0, macc0, b);
  for (int r = 0; r < RN; r++) {
    float m = type_has_min(type) ? _mm_cvtss_f32(_mm_movehdup_ps(_mm_add_ps(macc0[r], macc1[r]))) : 0.0f;
    out[r] = hsum256(_mm256_add_ps(acc0[r], acc1[r])) + m;
  }
}
#undef ROWS_Q8_BLOCK

/* With KQ_ROWS4 (the instance defines rows4_q8), whole groups of four weight rows go through it
   first, in passes of up to 4 activation rows; o0 moves past them. */
#if KQ_ROWS4
#define ROWS4_PASSES(TYPE, BB)                                                                   \
  do {                                                                                           \
    for (; o0 + 4 <= o1; o0 += 4) {                                                              \
      const uint8_t *w4 = W + rowBytes * (size_t)o0;                                             \
      for (int r0 = 0; r0 < R; r0 += 4) {                                                        \
        int rn = R - r0 < 4 ? R - r0 : 4;                                                        \
        const q8_block *xr = x + (size_t)r0 * nb;                                                \
        switch (rn) {                                                                            \
          case 1: rows4_q8(TYPE, BB, w4, rowBytes, nb, xr, 1, out); break;                       \
          case 2: rows4_q8(TYPE, BB, w4, rowBytes, nb, xr, 2, out); break;                       \
          case 3: rows4_q8(TYPE, BB, w4, rowBytes, nb, xr, 3, out); break;                       \
          default: rows4_q8(TYPE, BB, w4, rowBytes, nb, xr, 4, out); break;                      \
        }                                                                                        \
        for (int r = 0; r < rn; r++)                                                             \
          for (int k = 0; k < 4; k++) y[(size_t)(r0 + r) * ldy + o0 + k] = out[4 * r + k];       \
      }                                                                                          \
    }                                                                                            \
  } while (0)
#else
#define ROWS4_PASSES(TYPE, BB) ((void)0)
#endif

/* One kernel per type (so the type switches fold away). */
#define KQ8(NAME, TYPE, BB)                                                                      \
  KT_FN static void F(NAME)(const uint8_t *W, size_t rowBytes, int o0, int o1, int nIn,          \
                            const q8_block *x, int R, float *y, int ldy) {                       \
    float out[16];                                                                               \
    int nb = nIn / 32;                                                                           \
    ROWS4_PASSES(TYPE, BB);                                                                      \
    for (int o = o0; o < o1; o++) {                                                              \
      const uint8_t *row = W + rowBytes * (size_t)o;                                             \
      for (int r0 = 0; r0 < R; r0 += 4) {                                                        \
        int rn = R - r0 < 4 ? R - r0 : 4;                                                        \
        const q8_block *xr = x + (size_t)r0 * nb;                                                \
        switch (rn) {                                                                            \
          case 1: F(rows_q8)(TYPE, BB, row, nb, xr, 1, out); break;                              \
          case 2: F(rows_q8)(TYPE, BB, row, nb, xr, 2, out); break;                              \
          case 3: F(rows_q8)(TYPE, BB, row, nb, xr, 3, out); break;                              \
          default: F(rows_q8)(TYPE, BB, row, nb, xr, 4, out); break;                             \
        }                                                                                        \
        for (int r = 0; r < rn; r++) y[(size_t)(r0 + r) * ldy + o] = out[r];                     \
      }                                                                                          \
    }                                                                                            \
  }
KQ8(q8k_q4_0, AV_Q4_0, 18)
KQ8(q8k_q4_1, AV_Q4_1, 20)
KQ8(q8k_q5_0, AV_Q5_0, 22)
KQ8(q8k_q5_1, AV_Q5_1, 24)
KQ8(q8k_q8_0, AV_Q8_0, 34)
#undef KQ8
#undef ROWS4_PASSES

/* ---- K-quants (Q4_K, Q6_K) against q8k_block activations (one scale per 256 values, as
   llama.cpp's Q8_K): a superblock's products are summed in integers with the 6-bit/8-bit
   sub-block scales (vpmaddwd or vpdpwssd), then one float multiply-add per superblock and row.
   The weights and scales of a superblock are decoded once for all rows of a pass. ---- */

#if !KQ_ZMM
/* Q4_K: 8 sub-blocks of 32 unsigned 4-bit weights, each with a 6-bit scale and min. */
KT_INLINE void F(q4k_rows)(const uint8_t *row, int nsb, const q8k_block *x, int RN, float *out) {
  __m256 acc[KQ_ROWS];
  for (int r = 0; r < RN; r++) acc[r] = _mm256_setzero_ps();
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  for (int sb = 0; sb < nsb; sb++) {
    const uint8_t *blk = row + (size_t)144 * sb;
    PREFETCH_AHEAD(blk);
    q4k_scales s = q4k_unpack_scales(blk + 4);
    const float d = _cvtsh_ss(rd16(blk)), dmin = _cvtsh_ss(rd16(blk + 2));
    const __m256i sc8 = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(_mm_set_epi32(0, 0, (int)s.sc[1], (int)s.sc[0])));
    __m128i mn8 = _mm_cvtepu8_epi16(_mm_set_epi32(0, 0, (int)s.mn[1], (int)s.mn[0]));
    const __m256i mins = _mm256_set_m128i(_mm_unpackhi_epi16(mn8, mn8), _mm_unpacklo_epi16(mn8, mn8));
    __m256i q[8], sc[8];
    for (int j = 0; j < 4; j++) {
      __m256i bytes = _mm256_loadu_si256((const __m256i *)(blk + 16 + 32 * j));
      q[2 * j] = _mm256_and_si256(bytes, m4);
      q[2 * j + 1] = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), m4);
    }
    for (int j = 0; j < 8; j++) sc[j] = _mm256_shuffle_epi8(sc8, _mm256_set1_epi16((short)(((2 * j + 1) << 8) | (2 * j))));
    for (int r = 0; r < RN; r++) {
      const q8k_block *xb = x + (size_t)r * nsb + sb;
      __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
      for (int j = 0; j < 8; j += 2) {
        __m256i x0 = _mm256_loadu_si256((const __m256i *)(xb->q + 32 * j));
        __m256i x1 = _mm256_loadu_si256((const __m256i *)(xb->q + 32 * j + 32));
        s0 = DOT_ACC16(s0, _mm256_maddubs_epi16(q[j], x0), sc[j]);
        s1 = DOT_ACC16(s1, _mm256_maddubs_epi16(q[j + 1], x1), sc[j + 1]);
      }
      __m256i m = _mm256_madd_epi16(mins, _mm256_loadu_si256((const __m256i *)xb->bsums));
      acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(s0, s1)), _mm256_set1_ps(d * xb->d), acc[r]);
      acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(m), _mm256_set1_ps(-dmin * xb->d), acc[r]);
    }
  }
  for (int r = 0; r < RN; r++) out[r] = hsum256(acc[r]);
}

/* Q6_K: 16 groups of 16 weights (6 bits, offset 32) with signed 8-bit scales. The weights are
   used unsigned (0..63); the offset comes back as 32 * sum(scale * activation sum). */
KT_INLINE void F(q6k_rows)(const uint8_t *row, int nsb, const q8k_block *x, int RN, float *out) {
  __m256 acc[KQ_ROWS];
  for (int r = 0; r < RN; r++) acc[r] = _mm256_setzero_ps();
  const __m256i m4 = _mm256_set1_epi8(0x0F), m30 = _mm256_set1_epi8(0x30);
  for (int sb = 0; sb < nsb; sb++) {
    const uint8_t *blk = row + (size_t)210 * sb;
    PREFETCH_AHEAD(blk);
    const float d = _cvtsh_ss(rd16(blk + 208));
    const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(blk + 192)));
    const __m256i lo = _mm256_permute2x128_si256(sc16, sc16, 0x00), hi = _mm256_permute2x128_si256(sc16, sc16, 0x11);
    __m256i q[8], sc[8];
    for (int n = 0; n < 2; n++) {
      const uint8_t *ql = blk + 64 * n, *qh = blk + 128 + 32 * n;
      __m256i a = _mm256_loadu_si256((const __m256i *)ql), b2 = _mm256_loadu_si256((const __m256i *)(ql + 32));
      __m256i h = _mm256_loadu_si256((const __m256i *)qh);
      q[4 * n + 0] = _mm256_or_si256(_mm256_and_si256(a, m4), _mm256_and_si256(_mm256_slli_epi16(h, 4), m30));
      q[4 * n + 1] = _mm256_or_si256(_mm256_and_si256(b2, m4), _mm256_and_si256(_mm256_slli_epi16(h, 2), m30));
      q[4 * n + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(a, 4), m4), _mm256_and_si256(h, m30));
      q[4 * n + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(b2, 4), m4), _mm256_and_si256(_mm256_srli_epi16(h, 2), m30));
    }
    /* sub-block j: int16 lanes 0-7 take scale 2j, lanes 8-15 scale 2j+1 */
    for (int j = 0; j < 8; j++) {
      int k = j & 3;
      __m256i pat = _mm256_set_m128i(_mm_set1_epi16((short)(((4 * k + 3) << 8) | (4 * k + 2))),
                                     _mm_set1_epi16((short)(((4 * k + 1) << 8) | (4 * k))));
      sc[j] = _mm256_shuffle_epi8(j < 4 ? lo : hi, pat);
    }
    for (int r = 0; r < RN; r++) {
      const q8k_block *xb = x + (size_t)r * nsb + sb;
      __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
      for (int j = 0; j < 8; j += 2) {
        __m256i x0 = _mm256_loadu_si256((const __m256i *)(xb->q + 32 * j));
        __m256i x1 = _mm256_loadu_si256((const __m256i *)(xb->q + 32 * j + 32));
        s0 = DOT_ACC16(s0, _mm256_maddubs_epi16(q[j], x0), sc[j]);
        s1 = DOT_ACC16(s1, _mm256_maddubs_epi16(q[j + 1], x1), sc[j + 1]);
      }
      __m256i off = _mm256_slli_epi32(_mm256_madd_epi16(sc16, _mm256_loadu_si256((const __m256i *)xb->bsums)), 5);
      __m256i s = _mm256_sub_epi32(_mm256_add_epi32(s0, s1), off);
      acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(d * xb->d), acc[r]);
    }
  }
  for (int r = 0; r < RN; r++) out[r] = hsum256(acc[r]);
}
#endif

/* Rows in passes of KQ_ROWS; within a pass, output rows in order, so a pass's activations stay in
   L1/L2 while the thread's weight rows stream. */
#define KQK(NAME, ROWS, BB)                                                                      \
  KT_FN static void F(NAME)(const uint8_t *W, size_t rowBytes, int o0, int o1, int nIn,          \
                            const q8k_block *x, int R, float *y, int ldy) {                      \
    float out[KQ_ROWS];                                                                          \
    int nsb = nIn / 256;                                                                         \
    for (int r0 = 0; r0 < R; r0 += KQ_ROWS) {                                                    \
      int rn = R - r0 < KQ_ROWS ? R - r0 : KQ_ROWS;                                              \
      const q8k_block *xr = x + (size_t)r0 * nsb;                                                \
      for (int o = o0; o < o1; o++) {                                                            \
        const uint8_t *row = W + rowBytes * (size_t)o;                                           \
        switch (rn) {                                                                            \
          case 1: F(ROWS)(row, nsb, xr, 1, out); break;                                          \
          case 2: F(ROWS)(row, nsb, xr, 2, out); break;                                          \
          case 3: F(ROWS)(row, nsb, xr, 3, out); break;                                          \
          case 4: F(ROWS)(row, nsb, xr, 4, out); break;                                          \
          case 5: F(ROWS)(row, nsb, xr, 5, out); break;                                          \
          case 6: F(ROWS)(row, nsb, xr, 6, out); break;                                          \
          case 7: F(ROWS)(row, nsb, xr, 7, out); break;                                          \
          default: F(ROWS)(row, nsb, xr, 8, out); break;                                         \
        }                                                                                        \
        for (int r = 0; r < rn; r++) y[(size_t)(r0 + r) * ldy + o] = out[r];                     \
      }                                                                                          \
    }                                                                                            \
  }
KQK(kq_q4_k, q4k_rows, 144)
KQK(kq_q6_k, q6k_rows, 210)
#undef KQK

/* The instance's entry: 1 if it handled `type`. xq: q8_block rows, xk: q8k_block rows. */
KT_FN int F(av_matmul_range_q8)(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                                const void *xq, const void *xk, int R, float *y, int ldy) {
  const uint8_t *w = (const uint8_t *)W;
  const q8_block *x = (const q8_block *)xq;
  const q8k_block *k = (const q8k_block *)xk;
  switch (type) {
    case AV_Q4_0: F(q8k_q4_0)(w, rowBytes, o0, o1, nIn, x, R, y, ldy); return 1;
    case AV_Q4_1: F(q8k_q4_1)(w, rowBytes, o0, o1, nIn, x, R, y, ldy); return 1;
    case AV_Q5_0: F(q8k_q5_0)(w, rowBytes, o0, o1, nIn, x, R, y, ldy); return 1;
    case AV_Q5_1: F(q8k_q5_1)(w, rowBytes, o0, o1, nIn, x, R, y, ldy); return 1;
    case AV_Q8_0: F(q8k_q8_0)(w, rowBytes, o0, o1, nIn, x, R, y, ldy); return 1;
    case AV_Q4_K: F(kq_q4_k)(w, rowBytes, o0, o1, nIn, k, R, y, ldy); return 1;
    case AV_Q6_K: F(kq_q6_k)(w, rowBytes, o0, o1, nIn, k, R, y, ldy); return 1;
    default: return 0;
  }
}

#undef F
#undef KT_FN
#undef KT_INLINE
