/* Attention over block views (paper §3.3 / hogwild_cpu.h): the query is rotated once per block
   by (view position - block offset); keys stay as stored; one softmax over all blocks. */
#include "internal.h"
#include <math.h>

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
  int nHead, nKV, hd, nRot, neox; float scale; float *out; float *scratch; int maxKeys;
} att_ctx;

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
    const float *k = fr->k + (size_t)kvh * hd;
    for (int j = 0; j < fr->len; j++) {
      float s = dot_f32(qr, k + (size_t)j * kvDim, hd) * c->scale;
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
    const float *v = fr->v + (size_t)kvh * hd;
    for (int j = 0; j < fr->len; j++) {
      float p = sc[n++] * inv;
      const float *vj = v + (size_t)j * kvDim;
      for (int i = 0; i < hd; i++) out[i] += p * vj[i];
    }
  }
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma,f16c"))) static void head_avx2(const att_ctx *c, int r, int h, float *sc) {
  head_body(c, r, h, sc);
}
#endif
static void head_generic(const att_ctx *c, int r, int h, float *sc) { head_body(c, r, h, sc); }

static void att_task(void *p, int ith, int nth) {
  att_ctx *c = (att_ctx *)p;
  float *sc = c->scratch + (size_t)ith * c->maxKeys;
  int total = c->R * c->nHead;
  int avx = av_cpu_has_avx2();
  for (int t = ith; t < total; t += nth) {
    int r = t / c->nHead, h = t % c->nHead;
#if defined(__x86_64__)
    if (avx) { head_avx2(c, r, h, sc); continue; }
#endif
    (void)avx;
    head_generic(c, r, h, sc);
  }
}

void av_attention(int R, const float *q, const av_frag *frags, const int *fragStart,
                  const float *cs, int nHead, int nKV, int hd, int nRot, int neox, float scale,
                  float *out, float *scratch, int maxKeys) {
  att_ctx c = {R, q, frags, fragStart, cs, nHead, nKV, hd, nRot, neox, scale, out, scratch, maxKeys};
  av_pool_run(att_task, &c);
}
