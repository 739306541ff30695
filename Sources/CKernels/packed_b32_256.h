/* The 256-bit kernel of packed_b32_avx2.c, compiled once per instruction set by isa256_each.h
   (F, KT_FN, KT_INLINE and VNNI come from there: 1 vpdpbusd, 0 vpmaddubsw). */

KT_INLINE void F(half_group)(int type, const uint8_t *G, int h, int nb, const q8_block *x, int NR, float *y, int ldy) {
  const int nv = packed_vecs(type);
  const size_t tb = packed_block_bytes(type);
  const __m256i m4 = _mm256_set1_epi8(0x0F), ones16 = _mm256_set1_epi16(1);
  const float off = type == AV_Q4_0 ? -8.0f : type == AV_Q5_0 ? -16.0f : (type == AV_Q8_0 && VNNI ? -128.0f : 0.0f); /* Q4_1: its mins */
  const __m256i c16 = _mm256_set1_epi8(0x10), bitlo = _mm256_set1_epi32(0x08040201), bithi = _mm256_set1_epi32((int)0x80402010);
  __m256 res[HALF_NR];
  for (int r = 0; r < NR; r++) res[r] = _mm256_setzero_ps();
  for (int b = 0; b < nb; b++) {
    const uint8_t *t = G + (size_t)b * tb;
    if (h == 0)
      for (int l = 0; l < nv + 1; l++) _mm_prefetch((const char *)t + 8 * tb + 64 * l, _MM_HINT_T0);
    const uint8_t *v = t + 32 * h;
    __m256i acc[HALF_NR];
    for (int r = 0; r < NR; r++) acc[r] = _mm256_setzero_si256();
    if (type == AV_Q8_0) {
      for (int p = 0; p < 8; p++) {
        __m256i w = _mm256_load_si256((const __m256i *)(v + 64 * p));
#if VNNI
        for (int r = 0; r < NR; r++)
          acc[r] = _mm256_dpbusd_avx_epi32(acc[r], w, _mm256_set1_epi32(*(const int32_t *)(x[(size_t)r * nb + b].q + 4 * p)));
#else
        __m256i q = _mm256_xor_si256(w, _mm256_set1_epi8((char)0x80)), aq = _mm256_abs_epi8(q);
        for (int r = 0; r < NR; r++) {
          __m256i s = _mm256_sign_epi8(_mm256_set1_epi32(*(const int32_t *)(x[(size_t)r * nb + b].q + 4 * p)), q);
          acc[r] = _mm256_add_epi32(acc[r], _mm256_madd_epi16(_mm256_maddubs_epi16(aq, s), ones16));
        }
#endif
      }
    } else {
      const __m256i hb = type == AV_Q5_0 ? _mm256_load_si256((const __m256i *)(v + PACKED_Q5_HIGH_OFFSET)) : _mm256_setzero_si256();
      for (int p = 0; p < 4; p++) {
        __m256i z = _mm256_load_si256((const __m256i *)(v + 64 * p));
        __m256i lo = _mm256_and_si256(z, m4), hi = _mm256_and_si256(_mm256_srli_epi16(z, 4), m4);
        if (type == AV_Q5_0) { /* byte p of each lane's high bits to its four bytes, bit j to byte j */
          __m256i rep = _mm256_shuffle_epi8(hb, _mm256_broadcastsi128_si256(high_bits_pattern(p)));
          lo = _mm256_or_si256(lo, _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(rep, bitlo), bitlo), c16));
          hi = _mm256_or_si256(hi, _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(rep, bithi), bithi), c16));
        }
        for (int r = 0; r < NR; r++) {
          const int8_t *q = x[(size_t)r * nb + b].q;
          __m256i xl = _mm256_set1_epi32(*(const int32_t *)(q + 4 * p));
          __m256i xh = _mm256_set1_epi32(*(const int32_t *)(q + 16 + 4 * p));
#if VNNI
          acc[r] = _mm256_dpbusd_avx_epi32(_mm256_dpbusd_avx_epi32(acc[r], lo, xl), hi, xh);
#else /* 16-bit sums: 4-bit weights over the block, widened after it; Q5_0's per vector */
          __m256i s16 = _mm256_add_epi16(_mm256_maddubs_epi16(lo, xl), _mm256_maddubs_epi16(hi, xh));
          acc[r] = type == AV_Q5_0 ? _mm256_add_epi32(acc[r], _mm256_madd_epi16(s16, ones16)) : _mm256_add_epi16(acc[r], s16);
#endif
        }
      }
#if !VNNI
      if (type != AV_Q5_0)
        for (int r = 0; r < NR; r++) acc[r] = _mm256_madd_epi16(acc[r], ones16);
#endif
    }
    const __m256 d = _mm256_cvtph_ps(_mm_load_si128((const __m128i *)(t + 64 * nv + 16 * h)));
    const int has_m = type == AV_Q4_1 || off != 0.0f;
    const __m256 m = type == AV_Q4_1 ? _mm256_cvtph_ps(_mm_load_si128((const __m128i *)(t + 64 * nv + 32 + 16 * h)))
                                     : _mm256_mul_ps(d, _mm256_set1_ps(off));
    for (int r = 0; r < NR; r++) {
      const q8_block *xb = x + (size_t)r * nb + b;
      res[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[r]), _mm256_mul_ps(d, _mm256_set1_ps(xb->d)), res[r]);
      if (has_m) res[r] = _mm256_fmadd_ps(m, _mm256_set1_ps(xb->s), res[r]);
    }
  }
  for (int r = 0; r < NR; r++) _mm256_storeu_ps(y + (size_t)r * ldy + HALF_ROWS * h, res[r]);
}

KT_FN void F(av_packed_b32)(int type, const void *P, int g0, int g1, int nIn, const void *xq, int R, float *y, int ldy) {
  const int nb = nIn / 32;
  const size_t gb = (size_t)nb * packed_block_bytes(type);
  const q8_block *x = (const q8_block *)xq;
  for (int g = g0; g < g1; g++) {
    const uint8_t *G = (const uint8_t *)P + gb * (size_t)g;
    for (int h = 0; h < 2; h++)
      for (int r0 = 0; r0 < R; r0 += HALF_NR) {
        int rn = R - r0 < HALF_NR ? R - r0 : HALF_NR;
        const q8_block *xr = x + (size_t)r0 * nb;
        float *yr = y + (size_t)r0 * ldy + PACK_ROWS * g;
        switch (rn) {
          case 1: F(half_group)(type, G, h, nb, xr, 1, yr, ldy); break;
          case 2: F(half_group)(type, G, h, nb, xr, 2, yr, ldy); break;
          case 3: F(half_group)(type, G, h, nb, xr, 3, yr, ldy); break;
          default: F(half_group)(type, G, h, nb, xr, 4, yr, ldy); break;
        }
      }
  }
}
