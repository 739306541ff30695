/* The K-quant prefill GEMM of gemm_kq_avx512.c on 256-bit vectors, compiled by gemm_kq_avx2.c
   once per instruction set through isa256_each.h (F, KT_FN, KT_INLINE and VNNI come from there:
   1 vpdpbusd, 0 vpmaddubsw + vpmaddwd). Output row i of a tile of 8 lives in 32-bit lane i: one
   product instruction multiplies 4 weights of each of the 8 rows by the same 4 activations (a
   32-bit broadcast), a sub-block's scale is one float multiply-add for 8 rows, and nothing is
   reduced across lanes. A tile is decoded once per matmul for all R activation rows.

   Tile layout, one superblock of 8 rows (KQ8_SB_VECS 32-byte vectors): 64 vectors of weights,
   vector k holding values 4k..4k+3 of each row (unsigned: Q4_K 0..15, Q6_K 0..63), then 16
   vectors of floats: Q4_K d*scale of sub-blocks 0-7 and dmin*min of 0-7; Q6_K d*scale of its 16
   sub-blocks (the 512-bit tile's layout at half the width).

   On AVX2 the products are summed in 16 bits before one vpmaddwd: a Q4_K product pair is at most
   2 * 15 * 128 = 3840 and a 32-value sub-block adds 8 of them (30720 < 32767); a Q6_K pair
   reaches 2 * 63 * 128 = 16128, so two are added (32256) before each widening. */

#define KQ8_ROWS 8
#define KQ8_SB_VECS 80
#define KQ8_NR 4 /* activation rows per register tile (16 ymm registers) */

/* In-place transpose of 8 vectors of 8 dwords: r[c] becomes column c (lane i = row i's dword c). */
KT_INLINE void F(transpose8)(__m256i r[8]) {
  __m256i t[8], u[8];
  for (int i = 0; i < 4; i++) {
    t[2 * i] = _mm256_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
  }
  /* u[4i+k], 128-bit half H: rows 4i..4i+3 of column 4H+k */
  for (int i = 0; i < 2; i++) {
    u[4 * i + 0] = _mm256_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
    u[4 * i + 1] = _mm256_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
    u[4 * i + 2] = _mm256_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
    u[4 * i + 3] = _mm256_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
  }
  for (int k = 0; k < 4; k++) {
    r[k] = _mm256_permute2x128_si256(u[k], u[4 + k], 0x20);
    r[k + 4] = _mm256_permute2x128_si256(u[k], u[4 + k], 0x31);
  }
}

/* Q4_K superblock sb of 8 rows (rowBytes apart) into tile t. */
KT_INLINE void F(repack_q4k)(const uint8_t *W, size_t rowBytes, int sb, __m256i *t) {
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  for (int p = 0; p < 4; p++) { /* 32 bytes of quants: values 64p..64p+31 low, +32..+63 high */
    __m256i r[8];
    for (int i = 0; i < KQ8_ROWS; i++)
      r[i] = _mm256_loadu_si256((const __m256i *)(W + rowBytes * (size_t)i + 144 * (size_t)sb + 16 + 32 * p));
    F(transpose8)(r);
    for (int g = 0; g < 8; g++) {
      t[(2 * p) * 8 + g] = _mm256_and_si256(r[g], m4);
      t[(2 * p + 1) * 8 + g] = _mm256_and_si256(_mm256_srli_epi16(r[g], 4), m4);
    }
  }
  float *s = (float *)(t + 64);
  for (int i = 0; i < KQ8_ROWS; i++) {
    const uint8_t *b = W + rowBytes * (size_t)i + 144 * (size_t)sb;
    float d = _cvtsh_ss(rd16(b)), dmin = _cvtsh_ss(rd16(b + 2));
    q4k_scales q = q4k_unpack_scales(b + 4);
    for (int j = 0; j < 8; j++) {
      s[8 * j + i] = d * (float)((q.sc[j / 4] >> (8 * (j % 4))) & 0xff);
      s[8 * (8 + j) + i] = dmin * (float)((q.mn[j / 4] >> (8 * (j % 4))) & 0xff);
    }
  }
}

/* Q6_K superblock sb of 8 rows into tile t. Value 128n + 32k + 4m (k 0..3, m 0..7) of a row:
   low bits from ql dword 16n + 8(k&1) + m (nibble k>>1), high bits from qh dword 8n + m (bits 2k). */
KT_INLINE void F(repack_q6k)(const uint8_t *W, size_t rowBytes, int sb, __m256i *t) {
  const __m256i m4 = _mm256_set1_epi8(0x0F), m30 = _mm256_set1_epi8(0x30);
  __m256i ql[4][8], qh[2][8];
  for (int i = 0; i < KQ8_ROWS; i++) {
    const uint8_t *blk = W + rowBytes * (size_t)i + 210 * (size_t)sb;
    for (int a = 0; a < 4; a++) ql[a][i] = _mm256_loadu_si256((const __m256i *)(blk + 32 * a));
    for (int a = 0; a < 2; a++) qh[a][i] = _mm256_loadu_si256((const __m256i *)(blk + 128 + 32 * a));
  }
  for (int a = 0; a < 4; a++) F(transpose8)(ql[a]);
  for (int a = 0; a < 2; a++) F(transpose8)(qh[a]);
  for (int n = 0; n < 2; n++)
    for (int k = 0; k < 4; k++)
      for (int m = 0; m < 8; m++) {
        __m256i l = ql[2 * n + (k & 1)][m];
        __m256i lo = _mm256_and_si256(k >= 2 ? _mm256_srli_epi16(l, 4) : l, m4);
        __m256i hv = qh[n][m];
        __m256i hi = k == 0 ? _mm256_slli_epi16(hv, 4) : k == 1 ? _mm256_slli_epi16(hv, 2) : k == 2 ? hv : _mm256_srli_epi16(hv, 2);
        t[32 * n + 8 * k + m] = _mm256_or_si256(lo, _mm256_and_si256(hi, m30));
      }
  float *s = (float *)(t + 64);
  for (int i = 0; i < KQ8_ROWS; i++) {
    const uint8_t *blk = W + rowBytes * (size_t)i + 210 * (size_t)sb;
    float d = _cvtsh_ss(rd16(blk + 208));
    for (int j = 0; j < 16; j++) s[8 * j + i] = d * (float)(int8_t)blk[192 + j];
  }
}

#define BCAST8(p) _mm256_set1_epi32(*(const int32_t *)(p))

/* NR activation rows against a repacked 8-row tile of nsb superblocks; out[r*ldy + 0..7]. */
KT_INLINE void F(gemm_q4k_tile)(const __m256i *tile, int nsb, const q8k_block *x, const kq_xextra *xe, int NR, float *y,
                                int ldy) {
  __m256 res[KQ8_NR];
  for (int r = 0; r < NR; r++) res[r] = _mm256_setzero_ps();
  for (int sb = 0; sb < nsb; sb++) {
    const __m256i *t = tile + (size_t)KQ8_SB_VECS * sb;
    const __m256 *sc = (const __m256 *)(t + 64);
    __m256 f[KQ8_NR];
    for (int r = 0; r < NR; r++) f[r] = _mm256_setzero_ps();
    for (int j = 0; j < 8; j++) {
      __m256i acc[KQ8_NR];
      for (int r = 0; r < NR; r++) acc[r] = _mm256_setzero_si256();
      for (int g = 0; g < 8; g++) {
        __m256i w = _mm256_load_si256(t + 8 * j + g);
        for (int r = 0; r < NR; r++) {
          __m256i xb = BCAST8(x[(size_t)r * nsb + sb].q + 32 * j + 4 * g);
#if VNNI
          acc[r] = _mm256_dpbusd_avx_epi32(acc[r], w, xb);
#else
          acc[r] = _mm256_add_epi16(acc[r], _mm256_maddubs_epi16(w, xb));
#endif
        }
      }
      for (int r = 0; r < NR; r++) {
#if !VNNI
        acc[r] = _mm256_madd_epi16(acc[r], _mm256_set1_epi16(1));
#endif
        f[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[r]), sc[j], f[r]);
        f[r] = _mm256_fnmadd_ps(sc[8 + j], _mm256_set1_ps(xe[(size_t)r * nsb + sb].bs[j]), f[r]);
      }
    }
    for (int r = 0; r < NR; r++) res[r] = _mm256_fmadd_ps(f[r], _mm256_set1_ps(x[(size_t)r * nsb + sb].d), res[r]);
  }
  for (int r = 0; r < NR; r++) _mm256_storeu_ps(y + (size_t)r * ldy, res[r]);
}

KT_INLINE void F(gemm_q6k_tile)(const __m256i *tile, int nsb, const q8k_block *x, const kq_xextra *xe, int NR, float *y,
                                int ldy) {
  __m256 res[KQ8_NR];
  for (int r = 0; r < NR; r++) res[r] = _mm256_setzero_ps();
  for (int sb = 0; sb < nsb; sb++) {
    const __m256i *t = tile + (size_t)KQ8_SB_VECS * sb;
    const __m256 *sc = (const __m256 *)(t + 64);
    __m256 f[KQ8_NR];
    for (int r = 0; r < NR; r++) f[r] = _mm256_setzero_ps();
    for (int j = 0; j < 16; j++) {
      __m256i acc[KQ8_NR];
      for (int r = 0; r < NR; r++) acc[r] = _mm256_set1_epi32(xe[(size_t)r * nsb + sb].off[j]);
      for (int g = 0; g < 4; g += 2) {
        __m256i w0 = _mm256_load_si256(t + 4 * j + g), w1 = _mm256_load_si256(t + 4 * j + g + 1);
        for (int r = 0; r < NR; r++) {
          const int8_t *q = x[(size_t)r * nsb + sb].q + 16 * j + 4 * g;
#if VNNI
          acc[r] = _mm256_dpbusd_avx_epi32(_mm256_dpbusd_avx_epi32(acc[r], w0, BCAST8(q)), w1, BCAST8(q + 4));
#else
          __m256i p = _mm256_add_epi16(_mm256_maddubs_epi16(w0, BCAST8(q)), _mm256_maddubs_epi16(w1, BCAST8(q + 4)));
          acc[r] = _mm256_add_epi32(acc[r], _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
#endif
        }
      }
      for (int r = 0; r < NR; r++) f[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[r]), sc[j], f[r]);
    }
    for (int r = 0; r < NR; r++) res[r] = _mm256_fmadd_ps(f[r], _mm256_set1_ps(x[(size_t)r * nsb + sb].d), res[r]);
  }
  for (int r = 0; r < NR; r++) _mm256_storeu_ps(y + (size_t)r * ldy, res[r]);
}

static __thread __m256i *F(tile_buf) = NULL;
static __thread size_t F(tile_cap) = 0;

/* Output rows [o0, o1) (o1 - o0 a multiple of 8) of a Q4_K/Q6_K matmul over R activation rows
   (xk: q8k_block rows, xe: their kq_xextra). 1 if handled. */
KT_FN int F(av_gemm_kq)(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn, const void *xk, const void *xe,
                        int R, float *y, int ldy) {
  if ((type != AV_Q4_K && type != AV_Q6_K) || (o1 - o0) % KQ8_ROWS != 0 || nIn % 256 != 0) return 0;
  int nsb = nIn / 256;
  size_t need = (size_t)nsb * KQ8_SB_VECS * 32;
  if (need > F(tile_cap)) {
    free(F(tile_buf));
    F(tile_buf) = (__m256i *)aligned_alloc(32, need);
    F(tile_cap) = F(tile_buf) ? need : 0;
    if (!F(tile_buf)) return 0; /* out of memory: the multi-row kernels need no buffer */
  }
  __m256i *tb = F(tile_buf);
  const q8k_block *x = (const q8k_block *)xk;
  const kq_xextra *e = (const kq_xextra *)xe;
  for (int o = o0; o < o1; o += KQ8_ROWS) {
    const uint8_t *w = (const uint8_t *)W + rowBytes * (size_t)o;
    for (int sb = 0; sb < nsb; sb++) {
      if (type == AV_Q4_K) F(repack_q4k)(w, rowBytes, sb, tb + (size_t)KQ8_SB_VECS * sb);
      else F(repack_q6k)(w, rowBytes, sb, tb + (size_t)KQ8_SB_VECS * sb);
    }
    for (int r0 = 0; r0 < R; r0 += KQ8_NR) {
      int rn = R - r0 < KQ8_NR ? R - r0 : KQ8_NR;
      const q8k_block *xr = x + (size_t)r0 * nsb;
      const kq_xextra *er = e + (size_t)r0 * nsb;
      float *yr = y + (size_t)r0 * ldy + o;
#define KQ8_CASES(FN)                                                                              \
  switch (rn) {                                                                                    \
    case 1: FN(tb, nsb, xr, er, 1, yr, ldy); break;                                                \
    case 2: FN(tb, nsb, xr, er, 2, yr, ldy); break;                                                \
    case 3: FN(tb, nsb, xr, er, 3, yr, ldy); break;                                                \
    default: FN(tb, nsb, xr, er, 4, yr, ldy); break;                                               \
  }
      if (type == AV_Q4_K) KQ8_CASES(F(gemm_q4k_tile)) else KQ8_CASES(F(gemm_q6k_tile))
#undef KQ8_CASES
    }
  }
  return 1;
}
