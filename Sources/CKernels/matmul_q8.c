/* 8-bit activation kernels (as llama.cpp's vec_dot_qX_q8): each activation row is quantized once
   per matmul (32-value blocks for the 32-value weight types, 256-value blocks for the K-quants),
   then weight blocks are multiplied with integer dot products. Faster than float FMAs by ~2x;
   logits differ from the float reference by llama.cpp's own margin (mean ~0.1-0.2). Float
   activations when av_matmul is called with fast = 0.
   The kernels themselves are in q8_kernels.h, compiled here for AVX2 and AVX-VNNI and in
   matmul_q8_avx512.c for AVX-512 VNNI; av_isa() picks one. */
#if defined(__x86_64__)
#include "q8_types.h"
#include <math.h>
#include <stdlib.h>

AVX2_INLINE __m256i quant32(const float *xb, __m256 mul) {
  __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xb), mul), _MM_ROUND_NEAREST));
  __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xb + 8), mul), _MM_ROUND_NEAREST));
  __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xb + 16), mul), _MM_ROUND_NEAREST));
  __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xb + 24), mul), _MM_ROUND_NEAREST));
  i0 = _mm256_packs_epi32(i0, i1);
  i2 = _mm256_packs_epi32(i2, i3);
  i0 = _mm256_packs_epi16(i0, i2);
  return _mm256_permutevar8x32_epi32(i0, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

AVX2_INLINE float absmax(const float *x, int n) {
  __m256 mx = _mm256_setzero_ps();
  const __m256 signbit = _mm256_set1_ps(-0.0f);
  for (int k = 0; k < n; k += 8) mx = _mm256_max_ps(mx, _mm256_andnot_ps(signbit, _mm256_loadu_ps(x + k)));
  return hmax256(mx);
}

/* sum of 32 signed bytes */
AVX2_INLINE int sum_i8(__m256i q) {
  __m256i s = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q), _mm256_set1_epi16(1));
  __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
  s4 = _mm_hadd_epi32(s4, s4);
  s4 = _mm_hadd_epi32(s4, s4);
  return _mm_cvtsi128_si32(s4);
}

AVX2 void av_quantize_q8(const float *x, int n, void *out) {
  q8_block *b = (q8_block *)out;
  for (int i = 0; i < n / 32; i++) {
    const float *xb = x + 32 * i;
    float amax = absmax(xb, 32);
    float d = amax / 127.0f, id = amax != 0 ? 127.0f / amax : 0.0f;
    __m256i q = quant32(xb, _mm256_set1_ps(id));
    _mm256_storeu_si256((__m256i *)b[i].q, q);
    b[i].d = d;
    b[i].s = d * (float)sum_i8(q);
  }
}

AVX2 void av_quantize_q8k(const float *x, int n, void *out) {
  q8k_block *b = (q8k_block *)out;
  for (int i = 0; i < n / 256; i++) {
    const float *xb = x + 256 * i;
    float amax = absmax(xb, 256);
    float id = amax != 0 ? 127.0f / amax : 0.0f;
    b[i].d = amax / 127.0f;
    for (int k = 0; k < 8; k++) {
      __m256i q = quant32(xb + 32 * k, _mm256_set1_ps(id));
      _mm256_storeu_si256((__m256i *)(b[i].q + 32 * k), q);
      /* sums of each 16: int16 pairs, then pairs of pairs, ... within 128-bit lanes */
      __m256i s = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q), _mm256_set1_epi16(1));
      __m128i s4 = _mm_hadd_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
      s4 = _mm_hadd_epi32(s4, s4);
      b[i].bsums[2 * k] = (int16_t)_mm_extract_epi32(s4, 0);
      b[i].bsums[2 * k + 1] = (int16_t)_mm_extract_epi32(s4, 1);
    }
  }
}

size_t av_q8_row_bytes(int nIn) { return (size_t)(nIn / 32) * sizeof(q8_block); }
size_t av_q8k_row_bytes(int nIn) { return (size_t)(nIn / 256) * sizeof(q8k_block); }

int av_q8_supported(int type) {
  return type == AV_Q4_0 || type == AV_Q4_1 || type == AV_Q5_0 || type == AV_Q5_1 || type == AV_Q8_0 ||
         type == AV_Q4_K || type == AV_Q6_K;
}
int av_q8_is_k(int type) { return type == AV_Q4_K || type == AV_Q6_K; }

/* AVX2: vpmaddubsw + vpmaddwd. */
#define KT "avx2,fma,f16c"
#define SFX avx2
#define DOT_US(u, s) _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1))
#define DOT_ACC16(acc, p, sc) _mm256_add_epi32(acc, _mm256_madd_epi16(p, sc))
#define KQ_ZMM 0
#include "q8_kernels.h"
#undef KT
#undef SFX
#undef DOT_US
#undef DOT_ACC16
#undef KQ_ZMM

/* AVX-VNNI (VEX): vpdpbusd folds the two steps of DOT_US, vpdpwssd the multiply-add of scales. */
#define KT "avx2,fma,f16c,avxvnni"
#define SFX avxvnni
#define DOT_US(u, s) _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), u, s)
#define DOT_ACC16(acc, p, sc) _mm256_dpwssd_avx_epi32(acc, p, sc)
#define KQ_ZMM 0
#include "q8_kernels.h"
#undef KT
#undef SFX
#undef DOT_US
#undef DOT_ACC16
#undef KQ_ZMM

int av_matmul_range_q8_avx512vnni(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                                  const void *xq, const void *xk, int R, float *y, int ldy);

int av_matmul_range_q8_isa(int isa, int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                           const void *xq, const void *xk, int R, float *y, int ldy) {
  switch (isa) {
    case AV_ISA_AVX512VNNI: return av_matmul_range_q8_avx512vnni(type, W, rowBytes, o0, o1, nIn, xq, xk, R, y, ldy);
    case AV_ISA_AVXVNNI: return av_matmul_range_q8_avxvnni(type, W, rowBytes, o0, o1, nIn, xq, xk, R, y, ldy);
    case AV_ISA_AVX2: return av_matmul_range_q8_avx2(type, W, rowBytes, o0, o1, nIn, xq, xk, R, y, ldy);
    default: return 0;
  }
}
#endif
