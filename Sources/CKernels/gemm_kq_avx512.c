/* Prefill GEMM for Q4_K and Q6_K on AVX-512 VNNI: weights repacked tile by tile, 16 output rows
   interleaved (ik_llama.cpp's _R8 idea, 16 wide), so one vpdpbusd multiplies 4 weights of each of
   16 rows by the same 4 activations (a 32-bit broadcast). The product of a sub-block lands in the
   lane of its output row, so a sub-block's scale is one float multiply-add for 16 rows, and nothing
   is reduced across lanes. A tile is decoded once per matmul for all R activation rows (the
   multi-row kernels decode a superblock once per 8 rows and spend two instructions per 64
   products: vpmaddubsw + vpdpwssd).

   Tile layout, one superblock of 16 rows (TILE_SB_BYTES): 64 vectors of weights, vector k holding
   values 4k..4k+3 of each row (unsigned: Q4_K 0..15, Q6_K 0..63), then 16 vectors of floats:
   Q4_K d*scale of sub-blocks 0-7 and dmin*min of 0-7; Q6_K d*scale of its 16 sub-blocks.
   Activations: q8k_block rows plus kq_xextra (per row and superblock): Q4_K's sums of each 32
   activations as floats (for the mins), Q6_K's -32 * sums of each 16 (the offset, as the initial
   value of the integer sum). */
#if defined(__x86_64__)
#include "q8_types.h"
#include <stdlib.h>

#define GT "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"
#define G_FN __attribute__((target(GT)))
#define G_INLINE static inline __attribute__((always_inline, target(GT)))

#define TILE_ROWS 16
#define TILE_SB_VECS 80                 /* 64 weight vectors + 16 scale vectors */
#define TILE_SB_BYTES (TILE_SB_VECS * 64)
#ifndef G_NR
#define G_NR 6 /* activation rows per register tile (harness, 1536x1536 Q4_K, R=256: 4 rows 3.5 ms, 6: 3.1, 8: 3.4) */
#endif

void av_kq_xextra(const void *xk, int R, int nIn, void *out) {
  const q8k_block *x = (const q8k_block *)xk;
  kq_xextra *e = (kq_xextra *)out;
  int n = R * (nIn / 256);
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < 8; j++) e[i].bs[j] = (float)(x[i].bsums[2 * j] + x[i].bsums[2 * j + 1]);
    for (int j = 0; j < 16; j++) e[i].off[j] = -32 * x[i].bsums[j];
  }
}
size_t av_kq_xextra_bytes(int R, int nIn) { return (size_t)R * (size_t)(nIn / 256) * sizeof(kq_xextra); }

/* In-place transpose of 16 vectors of 16 dwords: r[c] becomes column c (lane i = row i's dword c). */
G_INLINE void transpose16(__m512i r[16]) {
  __m512i t[16];
  for (int i = 0; i < 8; i++) {
    t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
  }
  for (int i = 0; i < 4; i++) {
    r[4 * i + 0] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
    r[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
    r[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
    r[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
  }
  /* r[4i+k], 128-bit lane L: rows 4i..4i+3 of column 4L+k */
  for (int i = 0; i < 2; i++)
    for (int k = 0; k < 4; k++) {
      t[8 * i + k] = _mm512_shuffle_i32x4(r[8 * i + k], r[8 * i + 4 + k], 0x88);
      t[8 * i + 4 + k] = _mm512_shuffle_i32x4(r[8 * i + k], r[8 * i + 4 + k], 0xdd);
    }
  for (int k = 0; k < 8; k++) {
    r[k] = _mm512_shuffle_i32x4(t[k], t[8 + k], 0x88);
    r[8 + k] = _mm512_shuffle_i32x4(t[k], t[8 + k], 0xdd);
  }
}

/* Q4_K superblock sb of rows row0.. (16 rows, rowBytes apart) into tile t. */
G_INLINE void repack_q4k(const uint8_t *W, size_t rowBytes, int sb, __m512i *t) {
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  for (int half = 0; half < 2; half++) {
    __m512i r[16];
    for (int i = 0; i < TILE_ROWS; i++) r[i] = _mm512_loadu_si512(W + rowBytes * (size_t)i + 144 * (size_t)sb + 16 + 64 * half);
    transpose16(r);
    for (int cc = 0; cc < 16; cc++) {
      int c = 16 * half + cc, p = c / 8, g = c % 8;
      t[(2 * p) * 8 + g] = _mm512_and_si512(r[cc], m4);
      t[(2 * p + 1) * 8 + g] = _mm512_and_si512(_mm512_srli_epi16(r[cc], 4), m4);
    }
  }
  /* Scales: the first 16 bytes of the 16 rows' superblocks (d, dmin, 12 scale bytes) gathered as
     4 dwords per row, one row per lane, and unpacked as q4k_unpack_scales does (a scalar unpack
     per row and a transpose were two thirds of the repack). */
  const __m512i rowoff = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                            _mm512_set1_epi32((int)rowBytes));
  const uint8_t *b0 = W + 144 * (size_t)sb;
  __m512i dd = _mm512_i32gather_epi32(rowoff, b0, 1), u0 = _mm512_i32gather_epi32(rowoff, b0 + 4, 1);
  __m512i u1 = _mm512_i32gather_epi32(rowoff, b0 + 8, 1), u2 = _mm512_i32gather_epi32(rowoff, b0 + 12, 1);
  const __m512i m6 = _mm512_set1_epi32(0x3f3f3f3f), m4l = _mm512_set1_epi32(0x0f0f0f0f), m2 = _mm512_set1_epi32(0x03030303);
  __m512i sc0 = _mm512_and_si512(u0, m6), mn0 = _mm512_and_si512(u1, m6);
  __m512i sc1 = _mm512_or_si512(_mm512_and_si512(u2, m4l), _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(u0, 6), m2), 4));
  __m512i mn1 = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(u2, 4), m4l), _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(u1, 6), m2), 4));
  __m512 d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_and_si512(dd, _mm512_set1_epi32(0xffff))));
  __m512 dmin = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(dd, 16)));
  const __m512i mb = _mm512_set1_epi32(0xff);
  for (int j = 0; j < 4; j++) {
    t[64 + j] = _mm512_castps_si512(_mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srli_epi32(sc0, 8 * j), mb))));
    t[68 + j] = _mm512_castps_si512(_mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srli_epi32(sc1, 8 * j), mb))));
    t[72 + j] = _mm512_castps_si512(_mm512_mul_ps(dmin, _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srli_epi32(mn0, 8 * j), mb))));
    t[76 + j] = _mm512_castps_si512(_mm512_mul_ps(dmin, _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srli_epi32(mn1, 8 * j), mb))));
  }
}

/* Q6_K superblock sb of 16 rows into tile t. Value 128n + 32k + 4m (k 0..3, m 0..7) of a row:
   low bits from ql dword 16n + 8(k&1) + m (nibble k>>1), high bits from qh dword 8n + m (bits 2k). */
G_INLINE void repack_q6k(const uint8_t *W, size_t rowBytes, int sb, __m512i *t) {
  const __m512i m4 = _mm512_set1_epi8(0x0F), m30 = _mm512_set1_epi8(0x30);
  __m512i l0[16], l1[16], h[16];
  for (int i = 0; i < TILE_ROWS; i++) {
    const uint8_t *blk = W + rowBytes * (size_t)i + 210 * (size_t)sb;
    l0[i] = _mm512_loadu_si512(blk);
    l1[i] = _mm512_loadu_si512(blk + 64);
    h[i] = _mm512_loadu_si512(blk + 128);
  }
  transpose16(l0);
  transpose16(l1);
  transpose16(h);
  for (int n = 0; n < 2; n++)
    for (int k = 0; k < 4; k++)
      for (int m = 0; m < 8; m++) {
        int c = 8 * (k & 1) + m;                     /* ql dword within its half (16n..16n+15) */
        __m512i ql = n == 0 ? l0[c] : l1[c];
        __m512i lo = _mm512_and_si512(k >= 2 ? _mm512_srli_epi16(ql, 4) : ql, m4);
        __m512i hv = h[8 * n + m];
        __m512i hi = k == 0 ? _mm512_slli_epi16(hv, 4) : k == 1 ? _mm512_slli_epi16(hv, 2) : k == 2 ? hv : _mm512_srli_epi16(hv, 2);
        t[32 * n + 8 * k + m] = _mm512_or_si512(lo, _mm512_and_si512(hi, m30));
      }
  __m512i s[16];
  for (int i = 0; i < TILE_ROWS; i++) {
    const uint8_t *blk = W + rowBytes * (size_t)i + 210 * (size_t)sb;
    __m512 d = _mm512_set1_ps(_cvtsh_ss(rd16(blk + 208)));
    s[i] = _mm512_castps_si512(_mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(blk + 192))))));
  }
  transpose16(s);
  for (int j = 0; j < 16; j++) t[64 + j] = s[j];
}

#define BCAST(p) _mm512_set1_epi32(*(const int32_t *)(p))

/* NR activation rows against a repacked 16-row tile of nsb superblocks; out[r*ldy + 0..15]. */
G_INLINE void gemm_q4k_tile(const __m512i *tile, int nsb, const q8k_block *x, const kq_xextra *xe, int NR,
                            float *y, int ldy) {
  __m512 res[8];
  for (int r = 0; r < NR; r++) res[r] = _mm512_setzero_ps();
  for (int sb = 0; sb < nsb; sb++) {
    const __m512i *t = tile + (size_t)TILE_SB_VECS * sb;
    const __m512 *sc = (const __m512 *)(t + 64);
    __m512 f[8];
    for (int r = 0; r < NR; r++) f[r] = _mm512_setzero_ps();
    for (int j = 0; j < 8; j++) {
      __m512i acc[8];
      for (int r = 0; r < NR; r++) acc[r] = _mm512_setzero_si512();
      for (int g = 0; g < 8; g++) {
        __m512i w = _mm512_load_si512(t + 8 * j + g);
        for (int r = 0; r < NR; r++) acc[r] = _mm512_dpbusd_epi32(acc[r], w, BCAST(x[(size_t)r * nsb + sb].q + 32 * j + 4 * g));
      }
      for (int r = 0; r < NR; r++) {
        f[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[r]), sc[j], f[r]);
        f[r] = _mm512_fnmadd_ps(sc[8 + j], _mm512_set1_ps(xe[(size_t)r * nsb + sb].bs[j]), f[r]);
      }
    }
    for (int r = 0; r < NR; r++) res[r] = _mm512_fmadd_ps(f[r], _mm512_set1_ps(x[(size_t)r * nsb + sb].d), res[r]);
  }
  for (int r = 0; r < NR; r++) _mm512_storeu_ps(y + (size_t)r * ldy, res[r]);
}

G_INLINE void gemm_q6k_tile(const __m512i *tile, int nsb, const q8k_block *x, const kq_xextra *xe, int NR,
                            float *y, int ldy) {
  __m512 res[8];
  for (int r = 0; r < NR; r++) res[r] = _mm512_setzero_ps();
  for (int sb = 0; sb < nsb; sb++) {
    const __m512i *t = tile + (size_t)TILE_SB_VECS * sb;
    const __m512 *sc = (const __m512 *)(t + 64);
    __m512 f[8];
    for (int r = 0; r < NR; r++) f[r] = _mm512_setzero_ps();
    for (int j = 0; j < 16; j++) {
      __m512i acc[8];
      for (int r = 0; r < NR; r++) acc[r] = _mm512_set1_epi32(xe[(size_t)r * nsb + sb].off[j]);
      for (int g = 0; g < 4; g++) {
        __m512i w = _mm512_load_si512(t + 4 * j + g);
        for (int r = 0; r < NR; r++) acc[r] = _mm512_dpbusd_epi32(acc[r], w, BCAST(x[(size_t)r * nsb + sb].q + 16 * j + 4 * g));
      }
      for (int r = 0; r < NR; r++) f[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[r]), sc[j], f[r]);
    }
    for (int r = 0; r < NR; r++) res[r] = _mm512_fmadd_ps(f[r], _mm512_set1_ps(x[(size_t)r * nsb + sb].d), res[r]);
  }
  for (int r = 0; r < NR; r++) _mm512_storeu_ps(y + (size_t)r * ldy, res[r]);
}

static __thread __m512i *tile_buf = NULL;
static __thread size_t tile_cap = 0;

/* Output rows [o0, o1) (o1 - o0 a multiple of 16) of a Q4_K/Q6_K matmul over R activation rows
   (xk: q8k_block rows, xe: their kq_xextra). 1 if handled. */
G_FN int av_gemm_kq_avx512vnni(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                               const void *xk, const void *xe, int R, float *y, int ldy) {
  if ((type != AV_Q4_K && type != AV_Q6_K) || (o1 - o0) % TILE_ROWS != 0 || nIn % 256 != 0) return 0;
  int nsb = nIn / 256;
  size_t need = (size_t)nsb * TILE_SB_BYTES;
  if (need > tile_cap) {
    free(tile_buf);
    tile_buf = (__m512i *)aligned_alloc(64, need);
    tile_cap = tile_buf ? need : 0;
    if (!tile_buf) return 0; /* out of memory: the multi-row kernels need no buffer */
  }
  const q8k_block *x = (const q8k_block *)xk;
  const kq_xextra *e = (const kq_xextra *)xe;
  for (int o = o0; o < o1; o += TILE_ROWS) {
    const uint8_t *w = (const uint8_t *)W + rowBytes * (size_t)o;
    for (int sb = 0; sb < nsb; sb++) {
      if (type == AV_Q4_K) repack_q4k(w, rowBytes, sb, tile_buf + (size_t)TILE_SB_VECS * sb);
      else repack_q6k(w, rowBytes, sb, tile_buf + (size_t)TILE_SB_VECS * sb);
    }
    for (int r0 = 0; r0 < R; r0 += G_NR) {
      int rn = R - r0 < G_NR ? R - r0 : G_NR;
      const q8k_block *xr = x + (size_t)r0 * nsb;
      const kq_xextra *er = e + (size_t)r0 * nsb;
      float *yr = y + (size_t)r0 * ldy + o;
#define TILE_CASES(FN)                                                                             \
  switch (rn) {                                                                                    \
    case 1: FN(tile_buf, nsb, xr, er, 1, yr, ldy); break;                                          \
    case 2: FN(tile_buf, nsb, xr, er, 2, yr, ldy); break;                                          \
    case 3: FN(tile_buf, nsb, xr, er, 3, yr, ldy); break;                                          \
    case 4: FN(tile_buf, nsb, xr, er, 4, yr, ldy); break;                                          \
    case 5: FN(tile_buf, nsb, xr, er, 5, yr, ldy); break;                                          \
    case 6: FN(tile_buf, nsb, xr, er, 6, yr, ldy); break;                                          \
    case 7: FN(tile_buf, nsb, xr, er, 7, yr, ldy); break;                                          \
    default: FN(tile_buf, nsb, xr, er, 8, yr, ldy); break;                                         \
  }
      if (type == AV_Q4_K) TILE_CASES(gemm_q4k_tile) else TILE_CASES(gemm_q6k_tile)
#undef TILE_CASES
    }
  }
  return 1;
}
/* ---- The 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) against q8_block activations ----
   Tile per block of 16 rows (TILE_B32_VECS): 8 vectors of weights made unsigned (Q4_0/Q4_1 0..15,
   Q5_0/Q5_1 0..31, Q8_0 q+128), then the 16 rows' scales d and biases b as floats, so that
   row · x = Σ_blocks d · x.d · Σ q·q_x + b · x.s (x.s = x.d · Σ q_x): b is Q4_1/Q5_1's min,
   -8d (Q4_0), -16d (Q5_0), -128d (Q8_0). */
#define TILE_B32_VECS 10

/* One block of one row as 32 unsigned bytes. */
G_INLINE __m256i b32_unsigned(int type, const uint8_t *blk) {
  switch (type) {
    case AV_Q4_0: return nibbles32(blk + 2);
    case AV_Q4_1: return nibbles32(blk + 4);
    case AV_Q5_0: return _mm256_or_si256(nibbles32(blk + 6), _mm256_and_si256(bits32(blk + 2), _mm256_set1_epi8(0x10)));
    case AV_Q5_1: return _mm256_or_si256(nibbles32(blk + 8), _mm256_and_si256(bits32(blk + 4), _mm256_set1_epi8(0x10)));
    default: return _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(blk + 2)), _mm256_set1_epi8((char)0x80));
  }
}

/* Blocks b and b+1 (if b+1 < nb) of 16 rows into tiles t and t + TILE_B32_VECS. */
G_INLINE void repack_b32(int type, int bb, const uint8_t *W, size_t rowBytes, int b, int nb, __m512i *t) {
  __m512i r[16];
  __attribute__((aligned(64))) float dv[2][16], bv[2][16];
  int two = b + 1 < nb;
  float off = type == AV_Q4_0 ? -8.0f : type == AV_Q5_0 ? -16.0f : -128.0f;
  int has_min = type == AV_Q4_1 || type == AV_Q5_1;
  for (int i = 0; i < TILE_ROWS; i++) {
    const uint8_t *blk = W + rowBytes * (size_t)i + (size_t)bb * b;
    __m256i lo = b32_unsigned(type, blk), hi = two ? b32_unsigned(type, blk + bb) : _mm256_setzero_si256();
    r[i] = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
    for (int k = 0; k < 1 + two; k++) {
      float d = _cvtsh_ss(rd16(blk + bb * k));
      dv[k][i] = d;
      bv[k][i] = has_min ? _cvtsh_ss(rd16(blk + bb * k + 2)) : off * d;
    }
  }
  transpose16(r);
  for (int k = 0; k < 1 + two; k++) {
    for (int g = 0; g < 8; g++) t[TILE_B32_VECS * k + g] = r[8 * k + g];
    t[TILE_B32_VECS * k + 8] = _mm512_castps_si512(_mm512_load_ps(dv[k]));
    t[TILE_B32_VECS * k + 9] = _mm512_castps_si512(_mm512_load_ps(bv[k]));
  }
}

G_INLINE void gemm_b32_tile(const __m512i *tile, int nb, const q8_block *x, int NR, float *y, int ldy) {
  __m512 res[8];
  for (int r = 0; r < NR; r++) res[r] = _mm512_setzero_ps();
  for (int b = 0; b < nb; b++) {
    const __m512i *t = tile + (size_t)TILE_B32_VECS * b;
    __m512i acc[8];
    for (int r = 0; r < NR; r++) acc[r] = _mm512_setzero_si512();
    for (int g = 0; g < 8; g++) {
      __m512i w = _mm512_load_si512(t + g);
      for (int r = 0; r < NR; r++) acc[r] = _mm512_dpbusd_epi32(acc[r], w, BCAST(x[(size_t)r * nb + b].q + 4 * g));
    }
    __m512 d = _mm512_castsi512_ps(t[8]), bias = _mm512_castsi512_ps(t[9]);
    for (int r = 0; r < NR; r++) {
      const q8_block *xb = x + (size_t)r * nb + b;
      res[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[r]), _mm512_mul_ps(d, _mm512_set1_ps(xb->d)), res[r]);
      res[r] = _mm512_fmadd_ps(bias, _mm512_set1_ps(xb->s), res[r]);
    }
  }
  for (int r = 0; r < NR; r++) _mm512_storeu_ps(y + (size_t)r * ldy, res[r]);
}

/* Output rows [o0, o1) (a multiple of 16) of a 32-value-block matmul over R q8_block rows. */
G_FN int av_gemm_b32_avx512vnni(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                                const void *xq, int R, float *y, int ldy) {
  int bb = type == AV_Q4_0 ? 18 : type == AV_Q4_1 ? 20 : type == AV_Q5_0 ? 22 : type == AV_Q5_1 ? 24 : type == AV_Q8_0 ? 34 : 0;
  if (!bb || (o1 - o0) % TILE_ROWS != 0 || nIn % 32 != 0) return 0;
  int nb = nIn / 32;
  size_t need = (size_t)(nb + 1) * TILE_B32_VECS * 64;
  if (need > tile_cap) {
    free(tile_buf);
    tile_buf = (__m512i *)aligned_alloc(64, need);
    tile_cap = tile_buf ? need : 0;
    if (!tile_buf) return 0; /* out of memory: the multi-row kernels need no buffer */
  }
  const q8_block *x = (const q8_block *)xq;
  for (int o = o0; o < o1; o += TILE_ROWS) {
    const uint8_t *w = (const uint8_t *)W + rowBytes * (size_t)o;
    for (int b = 0; b < nb; b += 2) repack_b32(type, bb, w, rowBytes, b, nb, tile_buf + (size_t)TILE_B32_VECS * b);
    for (int r0 = 0; r0 < R; r0 += G_NR) {
      int rn = R - r0 < G_NR ? R - r0 : G_NR;
      const q8_block *xr = x + (size_t)r0 * nb;
      float *yr = y + (size_t)r0 * ldy + o;
      switch (rn) {
        case 1: gemm_b32_tile(tile_buf, nb, xr, 1, yr, ldy); break;
        case 2: gemm_b32_tile(tile_buf, nb, xr, 2, yr, ldy); break;
        case 3: gemm_b32_tile(tile_buf, nb, xr, 3, yr, ldy); break;
        case 4: gemm_b32_tile(tile_buf, nb, xr, 4, yr, ldy); break;
        case 5: gemm_b32_tile(tile_buf, nb, xr, 5, yr, ldy); break;
        case 6: gemm_b32_tile(tile_buf, nb, xr, 6, yr, ldy); break;
        case 7: gemm_b32_tile(tile_buf, nb, xr, 7, yr, ldy); break;
        default: gemm_b32_tile(tile_buf, nb, xr, 8, yr, ldy); break;
      }
    }
  }
  return 1;
}
#endif
