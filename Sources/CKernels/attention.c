/* Attention over block views (paper §3.3 / hogwild_cpu.h): the query is rotated once per block
   by (view position - block offset); keys stay as stored; one softmax over all blocks. */
#include "internal.h"
#include <math.h>
#include <stdatomic.h>

AV_INLINE void rope_one(const float *x, float *out, int hd, int nRot, const float *cs, int neox) {
  int half = nRot / 2;
  const float *c = cs, *s = cs + half;
  if (neox) {
    for (int i = 0; i < half; i++) {
      float x0 = x[i], x1 = x[i + half];
      out[i] = x0 * c[i] - x1 * s[i];
      out[i + half] = x0 * s[i] + x1 * c[i];
    }
  } else {
    for (int i = 0; i < half; i++) {
      float x0 = x[2 * i], x1 = x[2 * i + 1];
      out[2 * i] = x0 * c[i] - x1 * s[i];
      out[2 * i + 1] = x0 * s[i] + x1 * c[i];
    }
  }
  for (int i = nRot; i < hd; i++) out[i] = x[i];
}

void av_rope(float *x, int nHeads, int hd, int nRot, const float *cs, int neox) {
  float tmp[1024];
  for (int h = 0; h < nHeads; h++) {
    rope_one(x + (size_t)h * hd, tmp, hd, nRot, cs, neox);
    memcpy(x + (size_t)h * hd, tmp, (size_t)hd * 4);
  }
}

typedef struct {
  int R; const float *q; const av_frag *frags; const int *fragStart; const float *cs;
  int nHead, nKV, hd, nRot, neox; float scale; float *out; float *scratch; int maxKeys; int f16;
  int isa; _Atomic int next;
} att_ctx;

/* Value i of a key/value array stored as f32 or f16. */
AV_INLINE float kv_at(const void *p, size_t i, int f16) {
  return f16 ? h2f(((const uint16_t *)p)[i]) : ((const float *)p)[i];
}

AV_INLINE void head_body(const att_ctx *c, int r, int h, float *sc) {
  int hd = c->hd, kvDim = c->nKV * hd, kvh = h / (c->nHead / c->nKV);
  const float *q = c->q + ((size_t)r * c->nHead + h) * hd;
  float *out = c->out + ((size_t)r * c->nHead + h) * hd;
  float qr[1024];
  float mx = -INFINITY;
  int n = 0;
  for (int f = c->fragStart[r]; f < c->fragStart[r + 1]; f++) {
    const av_frag *fr = &c->frags[f];
    rope_one(q, qr, hd, c->nRot, c->cs + (size_t)fr->cs * c->nRot, c->neox);
    for (int j = 0; j < fr->len; j++) {
      size_t base = (size_t)j * kvDim + (size_t)kvh * hd;
      float s = 0;
      for (int i = 0; i < hd; i++) s += qr[i] * kv_at(fr->k, base + i, c->f16);
      s *= c->scale;
      sc[n++] = s;
      if (s > mx) mx = s;
    }
  }
  float sum = 0;
  for (int j = 0; j < n; j++) { sc[j] = expf(sc[j] - mx); sum += sc[j]; }
  float inv = 1.0f / sum;
  for (int i = 0; i < hd; i++) out[i] = 0;
  n = 0;
  for (int f = c->fragStart[r]; f < c->fragStart[r + 1]; f++) {
    const av_frag *fr = &c->frags[f];
    for (int j = 0; j < fr->len; j++) {
      float p = sc[n++] * inv;
      size_t base = (size_t)j * kvDim + (size_t)kvh * hd;
      for (int i = 0; i < hd; i++) out[i] += p * kv_at(fr->v, base + i, c->f16);
    }
  }
}

#if defined(__x86_64__)
#include "avx2_common.h"

/* 8 keys or values from index i (f32 or f16 storage). */
AVX2_INLINE __m256 ld8(const void *p, size_t i, int f16) {
  return f16 ? _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)p + i))) : _mm256_loadu_ps((const float *)p + i);
}

/* Eight 8-lane partial sums -> one vector of their eight totals. */
AVX2_INLINE __m256 reduce8(__m256 a0, __m256 a1, __m256 a2, __m256 a3, __m256 a4, __m256 a5, __m256 a6, __m256 a7) {
  __m256 u0 = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
  __m256 u1 = _mm256_hadd_ps(_mm256_hadd_ps(a4, a5), _mm256_hadd_ps(a6, a7));
  return _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u0, u1, 0x31));
}

/* sh[0..n) = softmax of the scores sh[0..n) whose maximum is m, in place. */
AVX2_INLINE void softmax_avx2(float *sh, int n, float m) {
  __m256 mx = _mm256_set1_ps(m);
  __m256 vsum = _mm256_setzero_ps();
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(sh + j), mx));
    _mm256_storeu_ps(sh + j, e);
    vsum = _mm256_add_ps(vsum, e);
  }
  float sum = hsum256(vsum);
  for (; j < n; j++) { sh[j] = expf(sh[j] - m); sum += sh[j]; }
  __m256 inv = _mm256_set1_ps(1.0f / sum);
  for (j = 0; j + 8 <= n; j += 8) _mm256_storeu_ps(sh + j, _mm256_mul_ps(_mm256_loadu_ps(sh + j), inv));
  for (; j < n; j++) sh[j] *= 1.0f / sum;
}

/* Scores of one rotated query against 8 keys from kj (stride kvDim), scaled. */
AVX2_INLINE __m256 scores8(const float *qr, const void *k, size_t kj, int kvDim, int nc, int f16, __m256 scale) {
  __m256 a[8];
  for (int t = 0; t < 8; t++) a[t] = _mm256_setzero_ps();
  for (int ci = 0; ci < nc; ci++) {
    __m256 qv = _mm256_load_ps(qr + 8 * ci);
    for (int t = 0; t < 8; t++) a[t] = _mm256_fmadd_ps(qv, ld8(k, kj + (size_t)t * kvDim + 8 * ci, f16), a[t]);
  }
  return _mm256_mul_ps(reduce8(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]), scale);
}

/* The same computation as head_body for g query heads h0 … h0+g-1 that share one key/value head
   (grouped-query attention), vectorized: scores for 8 keys at a time (one reduction for all 8),
   a vector exp, the value sum 4 keys at a time. The heads take turns on each run of 8 keys (or
   4 values), so those keys come from memory once and from L1 for the other heads: the cache
   streams once per step instead of once per head. hd is a multiple of 8 and at most
   AV_GROUP_HD; sc holds g × maxKeys scores. */
#define AV_GROUP_HD 256
#define AV_GROUP_MAX 16
AVX2 static void heads_avx2(const att_ctx *c, int r, int h0, int g, float *sc) {
  int hd = c->hd, kvDim = c->nKV * hd, kvh = h0 / (c->nHead / c->nKV), nc = hd / 8;
  const float *q = c->q + ((size_t)r * c->nHead + h0) * hd;
  float *out = c->out + ((size_t)r * c->nHead + h0) * hd;
  float qr[AV_GROUP_MAX * AV_GROUP_HD] __attribute__((aligned(32)));
  __m256 vmax[AV_GROUP_MAX];
  for (int hh = 0; hh < g; hh++) vmax[hh] = _mm256_set1_ps(-INFINITY);
  const __m256 scale = _mm256_set1_ps(c->scale);
  const int f16 = c->f16, mk = c->maxKeys;
  const size_t k0 = (size_t)kvh * hd;
  int n = 0;
  for (int f = c->fragStart[r]; f < c->fragStart[r + 1]; f++) {
    const av_frag *fr = &c->frags[f];
    for (int hh = 0; hh < g; hh++)
      rope_one(q + (size_t)hh * hd, qr + (size_t)hh * hd, hd, c->nRot, c->cs + (size_t)fr->cs * c->nRot, c->neox);
    int j = 0;
    for (; j + 8 <= fr->len; j += 8) {
      const size_t kj = k0 + (size_t)j * kvDim;
      for (int hh = 0; hh < g; hh++) {
        __m256 s = scores8(qr + (size_t)hh * hd, fr->k, kj, kvDim, nc, f16, scale);
        _mm256_storeu_ps(sc + (size_t)hh * mk + n + j, s);
        vmax[hh] = _mm256_max_ps(vmax[hh], s);
      }
    }
    for (; j < fr->len; j++) {
      const size_t kj = k0 + (size_t)j * kvDim;
      for (int hh = 0; hh < g; hh++) {
        __m256 a = _mm256_setzero_ps();
        for (int ci = 0; ci < nc; ci++)
          a = _mm256_fmadd_ps(_mm256_load_ps(qr + (size_t)hh * hd + 8 * ci), ld8(fr->k, kj + 8 * ci, f16), a);
        float s = hsum256(a) * c->scale;
        sc[(size_t)hh * mk + n + j] = s;
        vmax[hh] = _mm256_max_ps(vmax[hh], _mm256_set1_ps(s));
      }
    }
    n += fr->len;
  }
  /* softmax per head */
  for (int hh = 0; hh < g; hh++) {
    softmax_avx2(sc + (size_t)hh * mk, n, hmax256(vmax[hh]));
    float *oh = out + (size_t)hh * hd;
    for (int ci = 0; ci < nc; ci++) _mm256_storeu_ps(oh + 8 * ci, _mm256_setzero_ps());
  }
  n = 0;
  for (int f = c->fragStart[r]; f < c->fragStart[r + 1]; f++) {
    const av_frag *fr = &c->frags[f];
    int jj = 0;
    for (; jj + 4 <= fr->len; jj += 4) {
      size_t v0 = k0 + (size_t)jj * kvDim, v1 = v0 + kvDim, v2 = v1 + kvDim, v3 = v2 + kvDim;
      for (int hh = 0; hh < g; hh++) {
        const float *sh = sc + (size_t)hh * mk + n + jj;
        float *oh = out + (size_t)hh * hd;
        __m256 p0 = _mm256_set1_ps(sh[0]), p1 = _mm256_set1_ps(sh[1]);
        __m256 p2 = _mm256_set1_ps(sh[2]), p3 = _mm256_set1_ps(sh[3]);
        for (int ci = 0; ci < nc; ci++) {
          __m256 o = _mm256_loadu_ps(oh + 8 * ci);
          o = _mm256_fmadd_ps(p0, ld8(fr->v, v0 + 8 * ci, f16), o);
          o = _mm256_fmadd_ps(p1, ld8(fr->v, v1 + 8 * ci, f16), o);
          o = _mm256_fmadd_ps(p2, ld8(fr->v, v2 + 8 * ci, f16), o);
          o = _mm256_fmadd_ps(p3, ld8(fr->v, v3 + 8 * ci, f16), o);
          _mm256_storeu_ps(oh + 8 * ci, o);
        }
      }
    }
    for (; jj < fr->len; jj++) {
      size_t vj = k0 + (size_t)jj * kvDim;
      for (int hh = 0; hh < g; hh++) {
        __m256 p = _mm256_set1_ps(sc[(size_t)hh * mk + n + jj]);
        float *oh = out + (size_t)hh * hd;
        for (int ci = 0; ci < nc; ci++)
          _mm256_storeu_ps(oh + 8 * ci, _mm256_fmadd_ps(p, ld8(fr->v, vj + 8 * ci, f16), _mm256_loadu_ps(oh + 8 * ci)));
      }
    }
    n += fr->len;
  }
}

/* The same on AVX-512 (hd a multiple of 16, at most 64: see att_task): scores for 16 keys at a
   time (one 16-way reduction), and the value sums held in registers for up to 16 vectors of
   outputs (4 heads of 64 values), so a head's output is not loaded and stored for every few keys
   as above. */
#define AV512 __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl")))
#define AV512_INLINE static inline __attribute__((always_inline, target("avx2,fma,f16c,avx512f,avx512bw,avx512vl")))

AV512_INLINE __m512 ld16(const void *p, size_t i, int f16) {
  return f16 ? _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const uint16_t *)p + i)))
             : _mm512_loadu_ps((const float *)p + i);
}

/* Sixteen 16-lane partial sums -> one vector of their sixteen totals (lane t = Σ a[t]). */
AV512_INLINE __m512 reduce16(const __m512 a[16]) {
  __m512 b[8], c[4], d[2];
  for (int i = 0; i < 8; i++)
    b[i] = _mm512_add_ps(_mm512_unpacklo_ps(a[2 * i], a[2 * i + 1]), _mm512_unpackhi_ps(a[2 * i], a[2 * i + 1]));
  for (int i = 0; i < 4; i++) {
    __m512d x = _mm512_castps_pd(b[2 * i]), y = _mm512_castps_pd(b[2 * i + 1]);
    c[i] = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(x, y)), _mm512_castpd_ps(_mm512_unpackhi_pd(x, y)));
  }
  for (int i = 0; i < 2; i++)
    d[i] = _mm512_add_ps(_mm512_shuffle_f32x4(c[2 * i], c[2 * i + 1], 0x88), _mm512_shuffle_f32x4(c[2 * i], c[2 * i + 1], 0xDD));
  return _mm512_add_ps(_mm512_shuffle_f32x4(d[0], d[1], 0x88), _mm512_shuffle_f32x4(d[0], d[1], 0xDD));
}

/* Σ_j p[hh][j] · v_j for HS heads of NC vectors each, over the n keys of one fragment, added to
   acc (registers when NC and HS are constants). */
AV512_INLINE void vsum512(const float *sc, int mk, const void *v, size_t k0, int kvDim, int len, int f16, int NC, int HS,
                          __m512 *acc) {
  for (int j = 0; j < len; j++) {
    const size_t vj = k0 + (size_t)j * kvDim;
    __m512 vv[16];
    for (int ci = 0; ci < NC; ci++) vv[ci] = ld16(v, vj + 16 * (size_t)ci, f16);
    for (int hh = 0; hh < HS; hh++) {
      __m512 p = _mm512_set1_ps(sc[(size_t)hh * mk + j]);
      for (int ci = 0; ci < NC; ci++) acc[hh * NC + ci] = _mm512_fmadd_ps(p, vv[ci], acc[hh * NC + ci]);
    }
  }
}

/* out[hh] += Σ_j p[hh][j] · v_j for HS heads over len keys (a chunk of one fragment). */
AV512_INLINE void vchunk512(int NC, int HS, const float *sc, int mk, const void *v, size_t k0, int kvDim, int len, int f16,
                            float *out, int hd) {
  __m512 acc[16];
  for (int hh = 0; hh < HS; hh++)
    for (int ci = 0; ci < NC; ci++) acc[hh * NC + ci] = _mm512_loadu_ps(out + (size_t)hh * hd + 16 * ci);
  vsum512(sc, mk, v, k0, kvDim, len, f16, NC, HS, acc);
  for (int hh = 0; hh < HS; hh++)
    for (int ci = 0; ci < NC; ci++) _mm512_storeu_ps(out + (size_t)hh * hd + 16 * ci, acc[hh * NC + ci]);
}

AV512 static void heads_avx512(const att_ctx *c, int r, int h0, int g, float *sc) {
  const int hd = c->hd, kvDim = c->nKV * hd, nc = hd / 16, f16 = c->f16, mk = c->maxKeys;
  const size_t k0 = (size_t)(h0 / (c->nHead / c->nKV)) * hd;
  const float *q = c->q + ((size_t)r * c->nHead + h0) * hd;
  float *out = c->out + ((size_t)r * c->nHead + h0) * hd;
  float qr[AV_GROUP_MAX * AV_GROUP_HD] __attribute__((aligned(64)));
  __m512 vmax[AV_GROUP_MAX];
  for (int hh = 0; hh < g; hh++) vmax[hh] = _mm512_set1_ps(-INFINITY);
  const __m512 scale = _mm512_set1_ps(c->scale);
  int n = 0;
  for (int f = c->fragStart[r]; f < c->fragStart[r + 1]; f++) {
    const av_frag *fr = &c->frags[f];
    for (int hh = 0; hh < g; hh++)
      rope_one(q + (size_t)hh * hd, qr + (size_t)hh * hd, hd, c->nRot, c->cs + (size_t)fr->cs * c->nRot, c->neox);
    int j = 0;
    for (; j + 16 <= fr->len; j += 16) {
      const size_t kj = k0 + (size_t)j * kvDim;
      for (int hh = 0; hh < g; hh++) {
        __m512 a[16];
        for (int t = 0; t < 16; t++) a[t] = _mm512_setzero_ps();
        for (int ci = 0; ci < nc; ci++) {
          __m512 qv = _mm512_load_ps(qr + (size_t)hh * hd + 16 * ci);
          for (int t = 0; t < 16; t++) a[t] = _mm512_fmadd_ps(qv, ld16(fr->k, kj + (size_t)t * kvDim + 16 * ci, f16), a[t]);
        }
        __m512 s = _mm512_mul_ps(reduce16(a), scale);
        _mm512_storeu_ps(sc + (size_t)hh * mk + n + j, s);
        vmax[hh] = _mm512_max_ps(vmax[hh], s);
      }
    }
    for (; j < fr->len; j++) {
      const size_t kj = k0 + (size_t)j * kvDim;
      for (int hh = 0; hh < g; hh++) {
        __m512 a = _mm512_setzero_ps();
        for (int ci = 0; ci < nc; ci++) a = _mm512_fmadd_ps(_mm512_load_ps(qr + (size_t)hh * hd + 16 * ci), ld16(fr->k, kj + 16 * ci, f16), a);
        float s = _mm512_reduce_add_ps(a) * c->scale;
        sc[(size_t)hh * mk + n + j] = s;
        vmax[hh] = _mm512_max_ps(vmax[hh], _mm512_set1_ps(s));
      }
    }
    n += fr->len;
  }
  for (int hh = 0; hh < g; hh++) softmax_avx2(sc + (size_t)hh * mk, n, _mm512_reduce_max_ps(vmax[hh]));
  /* values: keys in chunks of 64 (from L1 for every sub-group of heads), as many heads at a time
     as 16 accumulators hold */
  for (int hh = 0; hh < g; hh++)
    for (int ci = 0; ci < nc; ci++) _mm512_storeu_ps(out + (size_t)hh * hd + 16 * ci, _mm512_setzero_ps());
  const int per = nc <= 16 ? 16 / nc : 1;
  n = 0;
  for (int f = c->fragStart[r]; f < c->fragStart[r + 1]; f++) {
    const av_frag *fr = &c->frags[f];
    for (int j0 = 0; j0 < fr->len; j0 += 64) {
      const int len = fr->len - j0 < 64 ? fr->len - j0 : 64;
      const size_t kj = k0 + (size_t)j0 * kvDim;
      for (int hh = 0; hh < g; hh += per) {
        const int hs = g - hh < per ? g - hh : per;
        const float *sh = sc + (size_t)hh * mk + n + j0;
        float *oh = out + (size_t)hh * hd;
#define VCHUNK(NC, HS) vchunk512(NC, HS, sh, mk, fr->v, kj, kvDim, len, f16, oh, hd)
        /* constant shapes for head size 64 (SmolLM2): acc in registers */
        if (nc == 4 && hs == 4) VCHUNK(4, 4);
        else if (nc == 4 && hs == 3) VCHUNK(4, 3);
        else if (nc == 4 && hs == 2) VCHUNK(4, 2);
        else if (nc == 4) VCHUNK(4, 1);
        else
          for (int k = 0; k < hs; k++, sh += mk, oh += hd) VCHUNK(nc, 1);
#undef VCHUNK
      }
    }
    n += fr->len;
  }
}
#endif
static void head_generic(const att_ctx *c, int r, int h, float *sc) { head_body(c, r, h, sc); }

/* Tasks: (part of the query heads, row, key/value head). The query heads of one key/value head go
   together (their keys are read once); they are split into parts only when there would be fewer
   than two tasks per thread. Threads take tasks from a shared counter, largest parts first. */
static void att_task(void *p, int ith, int nth) {
  att_ctx *c = (att_ctx *)p;
  int G = c->nHead / c->nKV;
  float *sc = c->scratch + (size_t)ith * c->maxKeys * G;
  int parts = 1;
  while (parts < G && c->R * c->nKV * parts < 2 * nth) parts++;
  int per = (G + parts - 1) / parts, units = c->R * c->nKV;
#if defined(__x86_64__)
  int avx = c->isa >= AV_ISA_AVX2 && c->hd % 8 == 0 && c->hd <= AV_GROUP_HD && per <= AV_GROUP_MAX;
  /* AVX-512 where it measured faster: head size 64 (SmolLM2, `bench --context 400`: 2-row step
     4.5 -> 4.2 ms, pp512 +10 %); at 128 (Qwen2.5-1.5B, 6 query heads per key head) the AVX2
     kernel's 2-row step was 1-2 % faster (56.3 against 57.4 ms), DECISIONS.md session 8. */
  int avx512 = avx && c->isa == AV_ISA_AVX512VNNI && c->hd % 16 == 0 && c->hd <= 64;
#else
  int avx = 0;
#endif
  for (;;) {
    int t = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed);
    if (t >= units * parts) return;
    int part = t / units, r = (t % units) / c->nKV, kvh = t % c->nKV;
    int h0 = kvh * G + part * per, g = G - part * per < per ? G - part * per : per;
    if (g <= 0) continue;
#if defined(__x86_64__)
    if (avx512) { heads_avx512(c, r, h0, g, sc); continue; }
    if (avx) { heads_avx2(c, r, h0, g, sc); continue; }
#endif
    for (int h = h0; h < h0 + g; h++) head_generic(c, r, h, sc);
  }
}

void av_attention(int R, const float *q, const av_frag *frags, const int *fragStart,
                  const float *cs, int nHead, int nKV, int hd, int nRot, int neox, float scale,
                  float *out, float *scratch, int maxKeys, int kvF16) {
  att_ctx c = {R, q, frags, fragStart, cs, nHead, nKV, hd, nRot, neox, scale, out, scratch, maxKeys, kvF16, av_isa(), 0};
  av_pool_run(att_task, &c);
}

int av_attention_isa(int isa, int R, const float *q, const av_frag *frags, const int *fragStart, const float *cs,
                     int nHead, int nKV, int hd, int nRot, int neox, float scale, float *out, float *scratch, int maxKeys,
                     int kvF16) {
  if (!av_isa_supported(isa)) return 0;
  att_ctx c = {R, q, frags, fragStart, cs, nHead, nKV, hd, nRot, neox, scale, out, scratch, maxKeys, kvF16, isa, 0};
  att_task(&c, 0, 1);
  return 1;
}

#if defined(__x86_64__)
AVX2 static void store_kv_f16_avx2(const float *src, uint16_t *dst, int n) {
  int i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128((__m128i *)(dst + i), _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
  for (; i < n; i++) dst[i] = f2h(src[i]);
}
#endif

void av_store_kv(const float *src, void *dst, int n, int f16) {
  if (!f16) { memcpy(dst, src, (size_t)n * 4); return; }
#if defined(__x86_64__)
  if (av_cpu_has_avx2()) { store_kv_f16_avx2(src, (uint16_t *)dst, n); return; }
#endif
  for (int i = 0; i < n; i++) ((uint16_t *)dst)[i] = f2h(src[i]);
}
