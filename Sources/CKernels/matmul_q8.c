/* 8-bit activation kernels (as llama.cpp's vec_dot_qX_q8): each activation row is quantized once
   per matmul to blocks of 32 int8 with one float scale, then weight blocks are multiplied with
   integer dot products (maddubs). Faster than float FMAs by ~2x; logits differ from the float
   reference by llama.cpp's own margin (mean ~0.1-0.2). Float activations when av_matmul is called with fast = 0. */
#if defined(__x86_64__)
#include "avx2_common.h"
#include <math.h>
#include <stdlib.h>

typedef struct { float d, s; int8_t q[32]; } q8_block; /* s = d * sum(q) */

AVX2 void av_quantize_q8(const float *x, int n, void *out) {
  q8_block *b = (q8_block *)out;
  for (int i = 0; i < n / 32; i++) {
    const float *xb = x + 32 * i;
    __m256 mx = _mm256_setzero_ps();
    const __m256 signbit = _mm256_set1_ps(-0.0f);
    __m256 v[4];
    for (int k = 0; k < 4; k++) {
      v[k] = _mm256_loadu_ps(xb + 8 * k);
      mx = _mm256_max_ps(mx, _mm256_andnot_ps(signbit, v[k]));
    }
    float amax = hmax256(mx);
    float d = amax / 127.0f, id = amax != 0 ? 127.0f / amax : 0.0f;
    __m256 mul = _mm256_set1_ps(id);
    __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[0], mul), _MM_ROUND_NEAREST));
    __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[1], mul), _MM_ROUND_NEAREST));
    __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[2], mul), _MM_ROUND_NEAREST));
    __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[3], mul), _MM_ROUND_NEAREST));
    __m256i sum = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
    i0 = _mm256_packs_epi32(i0, i1);
    i2 = _mm256_packs_epi32(i2, i3);
    i0 = _mm256_packs_epi16(i0, i2);
    const __m256i perm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    i0 = _mm256_permutevar8x32_epi32(i0, perm);
    _mm256_storeu_si256((__m256i *)b[i].q, i0);
    __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    s4 = _mm_hadd_epi32(s4, s4);
    s4 = _mm_hadd_epi32(s4, s4);
    b[i].d = d;
    b[i].s = d * (float)_mm_cvtsi128_si32(s4);
  }
}

/* sum of products of 32 unsigned bytes u and signed bytes s, as 8 floats */
AVX2_INLINE __m256 mul_us(__m256i u, __m256i s) {
  __m256i p = _mm256_maddubs_epi16(u, s);
  return _mm256_cvtepi32_ps(_mm256_madd_epi16(p, _mm256_set1_epi16(1)));
}

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
      __m256 p = mul_us(aw, xq);                                                                  \
      __m128 prod = _mm_mul_ps(w.dm, _mm_castpd_ps(_mm_load_sd((const double *)&xb->d)));         \
      ACC[r] = _mm256_fmadd_ps(_mm256_broadcastss_ps(prod), p, ACC[r]);                           \
      if (type_has_min(type)) MACC[r] = _mm_add_ps(MACC[r], prod);                                \
    }                                                                                             \
  } while (0)

AVX2_INLINE void rows_q8(int type, int bb, const uint8_t *row, int nb, const q8_block *x, int RN, float *out) {
  __m256 acc0[4], acc1[4];
  __m128 macc0[4], macc1[4];
  for (int r = 0; r < 4; r++) {
    acc0[r] = acc1[r] = _mm256_setzero_ps();
    macc0[r] = macc1[r] = _mm_setzero_ps();
  }
  int b = 0;
  for (; b + 2 <= nb; b += 2) {
    ROWS_Q8_BLOCK(acc0, macc0, b);
    ROWS_Q8_BLOCK(acc1, macc1, b + 1);
  }
  if (b < nb) ROWS_Q8_BLOCK(acc0, macc0, b);
  for (int r = 0; r < RN; r++) {
    float m = type_has_min(type) ? _mm_cvtss_f32(_mm_movehdup_ps(_mm_add_ps(macc0[r], macc1[r]))) : 0.0f;
    out[r] = hsum256(_mm256_add_ps(acc0[r], acc1[r])) + m;
  }
}

/* One kernel per type (so the type switches fold away); ROWS is rows_q8 or rows_q8_k. */
#define KQ8(NAME, TYPE, BB, ROWS, NB)                                                            \
  AVX2 static void NAME(const uint8_t *W, size_t rowBytes, int o0, int o1, int nIn,              \
                        const q8_block *x, int R, float *y, int ldy) {                          \
    float out[4];                                                                                \
    int nb = nIn / 32;                                                                           \
    for (int o = o0; o < o1; o++) {                                                              \
      const uint8_t *row = W + rowBytes * (size_t)o;                                             \
      for (int r0 = 0; r0 < R; r0 += 4) {                                                        \
        int rn = R - r0 < 4 ? R - r0 : 4;                                                        \
        const q8_block *xr = x + (size_t)r0 * nb;                                                \
        switch (rn) {                                                                            \
          case 1: ROWS(TYPE, BB, row, NB, xr, 1, out); break;                                    \
          case 2: ROWS(TYPE, BB, row, NB, xr, 2, out); break;                                    \
          case 3: ROWS(TYPE, BB, row, NB, xr, 3, out); break;                                    \
          default: ROWS(TYPE, BB, row, NB, xr, 4, out); break;                                   \
        }                                                                                        \
        for (int r = 0; r < rn; r++) y[(size_t)(r0 + r) * ldy + o] = out[r];                     \
      }                                                                                          \
    }                                                                                            \
  }

/* K-quants against the same 32-value q8 activation blocks: each 32-value sub-block of a 256
   superblock lines up with one activation block. Each superblock is decoded once for all rows. */
AVX2_INLINE void rows_q8_k(int type, int bb, const uint8_t *row, int nsb, const q8_block *x, int RN, float *out) {
  __m256 acc[4];
  float macc[4] = {0, 0, 0, 0};
  for (int r = 0; r < 4; r++) acc[r] = _mm256_setzero_ps();
  int nb = nsb * 8;
  const __m256i m4 = _mm256_set1_epi8(0x0F), m30 = _mm256_set1_epi8(0x30), off = _mm256_set1_epi8(32);
  for (int sb = 0; sb < nsb; sb++) {
    const uint8_t *blk = row + (size_t)bb * sb;
    __m256i q[8];     /* sub-block weights: unsigned (Q4_K) or signed (Q6_K) */
    float sl[8], sh[8], mins[8];  /* per sub-block scale (low/high 16 values) and min */
    if (type == AV_Q4_K) {
      float d = _cvtsh_ss(rd16(blk)), dmin = _cvtsh_ss(rd16(blk + 2));
      for (int j = 0; j < 4; j++) {
        uint8_t sc1, m1, sc2, m2;
        get_scale_min_k4(2 * j, blk + 4, &sc1, &m1);
        get_scale_min_k4(2 * j + 1, blk + 4, &sc2, &m2);
        __m256i bytes = _mm256_loadu_si256((const __m256i *)(blk + 16 + 32 * j));
        q[2 * j] = _mm256_and_si256(bytes, m4);
        q[2 * j + 1] = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), m4);
        sl[2 * j] = sh[2 * j] = d * sc1;
        sl[2 * j + 1] = sh[2 * j + 1] = d * sc2;
        mins[2 * j] = dmin * m1;
        mins[2 * j + 1] = dmin * m2;
      }
    } else {
      const int8_t *scales = (const int8_t *)(blk + 192);
      float d = _cvtsh_ss(rd16(blk + 208));
      for (int n = 0; n < 2; n++) {
        const uint8_t *ql = blk + 64 * n, *qh = blk + 128 + 32 * n;
        __m256i a = _mm256_loadu_si256((const __m256i *)ql), b2 = _mm256_loadu_si256((const __m256i *)(ql + 32));
        __m256i h = _mm256_loadu_si256((const __m256i *)qh);
        q[4 * n + 0] = _mm256_or_si256(_mm256_and_si256(a, m4), _mm256_and_si256(_mm256_slli_epi16(h, 4), m30));
        q[4 * n + 1] = _mm256_or_si256(_mm256_and_si256(b2, m4), _mm256_and_si256(_mm256_slli_epi16(h, 2), m30));
        q[4 * n + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(a, 4), m4), _mm256_and_si256(h, m30));
        q[4 * n + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(b2, 4), m4), _mm256_and_si256(_mm256_srli_epi16(h, 2), m30));
        for (int k = 0; k < 4; k++) {
          q[4 * n + k] = _mm256_sub_epi8(q[4 * n + k], off);
          sl[4 * n + k] = d * scales[8 * n + 2 * k];
          sh[4 * n + k] = d * scales[8 * n + 2 * k + 1];
          mins[4 * n + k] = 0;
        }
      }
    }
    for (int j = 0; j < 8; j++) {
      __m256i aw = type == AV_Q4_K ? q[j] : _mm256_sign_epi8(q[j], q[j]);
      for (int r = 0; r < RN; r++) {
        const q8_block *xb = x + (size_t)r * nb + 8 * sb + j;
        __m256i xq = _mm256_loadu_si256((const __m256i *)xb->q);
        if (type != AV_Q4_K) xq = _mm256_sign_epi8(xq, q[j]);
        __m256 p = mul_us(aw, xq);
        __m256 scale = _mm256_setr_ps(sl[j], sl[j], sl[j], sl[j], sh[j], sh[j], sh[j], sh[j]);
        acc[r] = _mm256_fmadd_ps(_mm256_mul_ps(scale, _mm256_set1_ps(xb->d)), p, acc[r]);
        macc[r] -= mins[j] * xb->s;
      }
    }
  }
  for (int r = 0; r < RN; r++) out[r] = hsum256(acc[r]) + macc[r];
}

KQ8(q8k_q4_0, AV_Q4_0, 18, rows_q8, nb)
KQ8(q8k_q4_1, AV_Q4_1, 20, rows_q8, nb)
KQ8(q8k_q5_0, AV_Q5_0, 22, rows_q8, nb)
KQ8(q8k_q5_1, AV_Q5_1, 24, rows_q8, nb)
KQ8(q8k_q8_0, AV_Q8_0, 34, rows_q8, nb)
KQ8(q8k_q4_k, AV_Q4_K, 144, rows_q8_k, nIn / 256)
KQ8(q8k_q6_k, AV_Q6_K, 210, rows_q8_k, nIn / 256)

int av_q8_supported(int type) {
  return type == AV_Q4_0 || type == AV_Q4_1 || type == AV_Q5_0 || type == AV_Q5_1 || type == AV_Q8_0 ||
         type == AV_Q4_K || type == AV_Q6_K;
}

size_t av_q8_row_bytes(int nIn) { return (size_t)(nIn / 32) * sizeof(q8_block); }

void av_matmul_range_q8(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                        const void *xq, int R, float *y, int ldy) {
  const uint8_t *w = (const uint8_t *)W;
  const q8_block *x = (const q8_block *)xq;
  switch (type) {
    case AV_Q4_0: q8k_q4_0(w, rowBytes, o0, o1, nIn, x, R, y, ldy); break;
    case AV_Q4_1: q8k_q4_1(w, rowBytes, o0, o1, nIn, x, R, y, ldy); break;
    case AV_Q5_0: q8k_q5_0(w, rowBytes, o0, o1, nIn, x, R, y, ldy); break;
    case AV_Q5_1: q8k_q5_1(w, rowBytes, o0, o1, nIn, x, R, y, ldy); break;
    case AV_Q8_0: q8k_q8_0(w, rowBytes, o0, o1, nIn, x, R, y, ldy); break;
    case AV_Q4_K: q8k_q4_k(w, rowBytes, o0, o1, nIn, x, R, y, ldy); break;
    case AV_Q6_K: q8k_q6_k(w, rowBytes, o0, o1, nIn, x, R, y, ldy); break;
  }
}
#endif
