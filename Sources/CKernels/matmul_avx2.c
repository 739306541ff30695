/* AVX2/FMA fused kernels: each weight block is decoded in registers once and multiplied into up to
   4 activation rows with float FMAs (activations stay float: logits match the float reference to
   ~1e-4 instead of llama.cpp's ~0.2 with 8-bit activations; DECISIONS.md). */
#if defined(__x86_64__)
#include "avx2_common.h"

/* Expand 32 signed bytes to 4 float vectors, scaled: w = q * d + m. */
AVX2_INLINE void widen(__m256i q, __m256 d, __m256 m, __m256 w[4]) {
  __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
  w[0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(lo)), d, m);
  w[1] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(lo, 8))), d, m);
  w[2] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(hi)), d, m);
  w[3] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(hi, 8))), d, m);
}

/* Decode 32 weights of block b into w[4] (float). */
AVX2_INLINE void decode32(int type, const uint8_t *blk, __m256 w[4]) {
  const __m256 zero = _mm256_setzero_ps();
  switch (type) {
    case AV_Q4_0: {
      __m256i q = _mm256_sub_epi8(nibbles32(blk + 2), _mm256_set1_epi8(8));
      widen(q, _mm256_set1_ps(f16(blk)), zero, w);
      break;
    }
    case AV_Q4_1:
      widen(nibbles32(blk + 4), _mm256_set1_ps(f16(blk)), _mm256_set1_ps(f16(blk + 2)), w);
      break;
    case AV_Q5_0: {
      __m256i hb = _mm256_andnot_si256(bits32(blk + 2), _mm256_set1_epi8((char)0xF0));
      __m256i q = _mm256_or_si256(nibbles32(blk + 6), hb); /* (nibble | bit<<4) - 16 as two's complement */
      widen(q, _mm256_set1_ps(f16(blk)), zero, w);
      break;
    }
    case AV_Q5_1: {
      __m256i hb = _mm256_and_si256(bits32(blk + 4), _mm256_set1_epi8(0x10));
      widen(_mm256_or_si256(nibbles32(blk + 8), hb), _mm256_set1_ps(f16(blk)), _mm256_set1_ps(f16(blk + 2)), w);
      break;
    }
    case AV_Q8_0:
      widen(_mm256_loadu_si256((const __m256i *)(blk + 2)), _mm256_set1_ps(f16(blk)), zero, w);
      break;
  }
}

/* RN rows (1..4) of one output row, 32-weight block types. Independent accumulators per row
   (4 for 1-2 rows, 2 for 3-4 rows) hide the FMA latency without spilling registers. */
AVX2_INLINE void dot32_rows(int type, int bb, const uint8_t *row, int nb, const float *x, int ldx, int RN, float *out) {
  const int NA = RN <= 2 ? 4 : 2;
  __m256 acc[4][4];
  for (int r = 0; r < 4; r++)
    for (int a = 0; a < 4; a++) acc[r][a] = _mm256_setzero_ps();
  for (int b = 0; b < nb; b++) {
    __m256 w[4];
    decode32(type, row + (size_t)bb * b, w);
    for (int r = 0; r < RN; r++) {
      const float *xr = x + (size_t)r * ldx + 32 * b;
      for (int k = 0; k < 4; k++)
        acc[r][k % NA] = _mm256_fmadd_ps(w[k], _mm256_loadu_ps(xr + 8 * k), acc[r][k % NA]);
    }
  }
  for (int r = 0; r < RN; r++) {
    __m256 s = acc[r][0];
    for (int a = 1; a < NA; a++) s = _mm256_add_ps(s, acc[r][a]);
    out[r] = hsum256(s);
  }
}

/* K-quants and float types: decode a 256-block into a stack buffer with the scalar decoder
   (vectorized by the compiler here), then FMA. */
AVX2_INLINE void dotbuf_rows(int type, const uint8_t *row, int nIn, const float *x, int ldx, int RN, float *out) {
  int bs = av_type_block_size(type), bb = av_type_block_bytes(type);
  int chunk = bs == 1 ? 256 : bs;
  __attribute__((aligned(32))) float buf[256];
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  int i = 0;
  for (; i + chunk <= nIn; i += chunk) {
    const float *w;
    if (type == AV_F32) w = (const float *)(row + (size_t)4 * i);
    else { dequant_row_inline(type, row + (size_t)(i / bs) * bb, buf, chunk); w = buf; }
    for (int j = 0; j < chunk; j += 8) {
      __m256 wv = _mm256_loadu_ps(w + j);
      for (int r = 0; r < RN; r++)
        acc[r] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + (size_t)r * ldx + i + j), acc[r]);
    }
  }
  float tail[4] = {0, 0, 0, 0};
  if (i < nIn) { /* float types with nIn not a multiple of 256 */
    int n = nIn - i;
    dequant_row_inline(type, row + (size_t)(i / bs) * bb, buf, n);
    for (int r = 0; r < RN; r++) tail[r] = dot_f32(buf, x + (size_t)r * ldx + i, n);
  }
  for (int r = 0; r < RN; r++) out[r] = hsum256(acc[r]) + tail[r];
}

AVX2_INLINE void rows_dispatch(int type, const uint8_t *row, int nIn, const float *x, int ldx, int RN, float *out) {
  int bs = av_type_block_size(type);
  if (bs == 32) {
    int bb = av_type_block_bytes(type);
    switch (RN) {
      case 1: dot32_rows(type, bb, row, nIn / 32, x, ldx, 1, out); break;
      case 2: dot32_rows(type, bb, row, nIn / 32, x, ldx, 2, out); break;
      case 3: dot32_rows(type, bb, row, nIn / 32, x, ldx, 3, out); break;
      default: dot32_rows(type, bb, row, nIn / 32, x, ldx, 4, out); break;
    }
  } else {
    switch (RN) {
      case 1: dotbuf_rows(type, row, nIn, x, ldx, 1, out); break;
      case 2: dotbuf_rows(type, row, nIn, x, ldx, 2, out); break;
      case 3: dotbuf_rows(type, row, nIn, x, ldx, 3, out); break;
      default: dotbuf_rows(type, row, nIn, x, ldx, 4, out); break;
    }
  }
}

/* Specialize per type so the switch in decode32 folds away. */
#define KERNEL(NAME, TYPE)                                                                       \
  AVX2 static void NAME(const uint8_t *W, size_t rowBytes, int o0, int o1, int nIn,              \
                        const float *x, int ldx, int R, float *y, int ldy) {                     \
    float out[4];                                                                                \
    for (int o = o0; o < o1; o++) {                                                              \
      const uint8_t *row = W + rowBytes * (size_t)o;                                             \
      for (int r0 = 0; r0 < R; r0 += 4) {                                                        \
        int rn = R - r0 < 4 ? R - r0 : 4;                                                        \
        rows_dispatch(TYPE, row, nIn, x + (size_t)r0 * ldx, ldx, rn, out);                       \
        for (int r = 0; r < rn; r++) y[(size_t)(r0 + r) * ldy + o] = out[r];                     \
      }                                                                                          \
    }                                                                                            \
  }
KERNEL(k_q4_0, AV_Q4_0)
KERNEL(k_q4_1, AV_Q4_1)
KERNEL(k_q5_0, AV_Q5_0)
KERNEL(k_q5_1, AV_Q5_1)
KERNEL(k_q8_0, AV_Q8_0)
KERNEL(k_q4_k, AV_Q4_K)
KERNEL(k_q5_k, AV_Q5_K)
KERNEL(k_q6_k, AV_Q6_K)
KERNEL(k_f16, AV_F16)
KERNEL(k_bf16, AV_BF16)
KERNEL(k_f32, AV_F32)

int av_matmul_range_avx2(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                         const float *x, int ldx, int R, float *y, int ldy) {
  const uint8_t *w = (const uint8_t *)W;
  switch (type) {
    case AV_Q4_0: k_q4_0(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_Q4_1: k_q4_1(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_Q5_0: k_q5_0(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_Q5_1: k_q5_1(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_Q8_0: k_q8_0(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_Q4_K: k_q4_k(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_Q5_K: k_q5_k(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_Q6_K: k_q6_k(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_F16: k_f16(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_BF16: k_bf16(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    case AV_F32: k_f32(w, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy); return 1;
    default: return 0;
  }
}
#endif
