/* Shared inline helpers of the kernels; included by each .c so every ISA variant inlines them. */
#ifndef ASYNCVOICE_CKERNELS_INTERNAL_H
#define ASYNCVOICE_CKERNELS_INTERNAL_H
#include <stdint.h>
#include <string.h>
#include "CKernels.h"

#define AV_INLINE static inline __attribute__((always_inline))

AV_INLINE float h2f(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu, bits;
  if (exp == 0) {
    float f = (float)mant * (1.0f / 16777216.0f); /* subnormal: mant * 2^-24 */
    return sign ? -f : f;
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 112u) << 23) | (mant << 13);
  }
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

/* f32 -> f16, round to nearest even (portable path of the f16 KV cache). */
AV_INLINE uint16_t f2h(float f) {
  uint32_t x;
  memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  int32_t exp = (int32_t)((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffffu;
  if (((x >> 23) & 0xff) == 0xff) return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u : 0));
  if (exp >= 31) return (uint16_t)(sign | 0x7c00u);
  if (exp <= 0) {
    if (exp < -10) return (uint16_t)sign;
    mant |= 0x800000u;
    uint32_t shift = (uint32_t)(14 - exp);
    uint32_t h = mant >> shift, rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1))) h++;
    return (uint16_t)(sign | h);
  }
  uint32_t h = ((uint32_t)exp << 10) | (mant >> 13), rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) h++;
  return (uint16_t)(sign | h);
}

AV_INLINE uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
AV_INLINE uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

AV_INLINE void get_scale_min_k4(int j, const uint8_t *q, uint8_t *d, uint8_t *m) {
  if (j < 4) {
    *d = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4);
  }
}

AV_INLINE void dq_q4_0(const uint8_t *b, float *y) {
  float d = h2f(rd16(b));
  const uint8_t *qs = b + 2;
  for (int j = 0; j < 16; j++) {
    y[j] = d * (float)((int)(qs[j] & 15) - 8);
    y[j + 16] = d * (float)((int)(qs[j] >> 4) - 8);
  }
}
AV_INLINE void dq_q4_1(const uint8_t *b, float *y) {
  float d = h2f(rd16(b)), m = h2f(rd16(b + 2));
  const uint8_t *qs = b + 4;
  for (int j = 0; j < 16; j++) {
    y[j] = d * (float)(qs[j] & 15) + m;
    y[j + 16] = d * (float)(qs[j] >> 4) + m;
  }
}
AV_INLINE void dq_q5_0(const uint8_t *b, float *y) {
  float d = h2f(rd16(b));
  uint32_t qh = rd32(b + 2);
  const uint8_t *qs = b + 6;
  for (int j = 0; j < 16; j++) {
    int x0 = (qs[j] & 15) | (((qh >> j) << 4) & 0x10);
    int x1 = (qs[j] >> 4) | ((qh >> (j + 12)) & 0x10);
    y[j] = d * (float)(x0 - 16);
    y[j + 16] = d * (float)(x1 - 16);
  }
}
AV_INLINE void dq_q5_1(const uint8_t *b, float *y) {
  float d = h2f(rd16(b)), m = h2f(rd16(b + 2));
  uint32_t qh = rd32(b + 4);
  const uint8_t *qs = b + 8;
  for (int j = 0; j < 16; j++) {
    int x0 = (qs[j] & 15) | (((qh >> j) << 4) & 0x10);
    int x1 = (qs[j] >> 4) | ((qh >> (j + 12)) & 0x10);
    y[j] = d * (float)x0 + m;
    y[j + 16] = d * (float)x1 + m;
  }
}
AV_INLINE void dq_q8_0(const uint8_t *b, float *y) {
  float d = h2f(rd16(b));
  const int8_t *q = (const int8_t *)(b + 2);
  for (int j = 0; j < 32; j++) y[j] = d * (float)q[j];
}
AV_INLINE void dq_q4_k(const uint8_t *b, float *y) {
  float d = h2f(rd16(b)), dmin = h2f(rd16(b + 2));
  const uint8_t *scales = b + 4, *q = b + 16;
  int is = 0;
  for (int j = 0; j < 256; j += 64) {
    uint8_t sc, m;
    get_scale_min_k4(is + 0, scales, &sc, &m);
    float d1 = d * sc, m1 = dmin * m;
    get_scale_min_k4(is + 1, scales, &sc, &m);
    float d2 = d * sc, m2 = dmin * m;
    for (int l = 0; l < 32; ++l) y[l] = d1 * (float)(q[l] & 0xF) - m1;
    for (int l = 0; l < 32; ++l) y[l + 32] = d2 * (float)(q[l] >> 4) - m2;
    y += 64; q += 32; is += 2;
  }
}
AV_INLINE void dq_q5_k(const uint8_t *b, float *y) {
  float d = h2f(rd16(b)), dmin = h2f(rd16(b + 2));
  const uint8_t *scales = b + 4, *qh = b + 16, *ql = b + 48;
  int is = 0;
  uint8_t u1 = 1, u2 = 2;
  for (int j = 0; j < 256; j += 64) {
    uint8_t sc, m;
    get_scale_min_k4(is + 0, scales, &sc, &m);
    float d1 = d * sc, m1 = dmin * m;
    get_scale_min_k4(is + 1, scales, &sc, &m);
    float d2 = d * sc, m2 = dmin * m;
    for (int l = 0; l < 32; ++l) y[l] = d1 * (float)((ql[l] & 0xF) + (qh[l] & u1 ? 16 : 0)) - m1;
    for (int l = 0; l < 32; ++l) y[l + 32] = d2 * (float)((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) - m2;
    y += 64; ql += 32; is += 2; u1 <<= 2; u2 <<= 2;
  }
}
AV_INLINE void dq_q6_k(const uint8_t *b, float *y) {
  const uint8_t *ql = b, *qh = b + 128;
  const int8_t *sc = (const int8_t *)(b + 192);
  float d = h2f(rd16(b + 208));
  for (int n = 0; n < 256; n += 128) {
    for (int l = 0; l < 32; ++l) {
      int is = l / 16;
      int q1 = (int)((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
      int q2 = (int)((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
      int q3 = (int)((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      int q4 = (int)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      y[l + 0] = d * (float)sc[is + 0] * (float)q1;
      y[l + 32] = d * (float)sc[is + 2] * (float)q2;
      y[l + 64] = d * (float)sc[is + 4] * (float)q3;
      y[l + 96] = d * (float)sc[is + 6] * (float)q4;
    }
    y += 128; ql += 64; qh += 32; sc += 8;
  }
}

AV_INLINE void dequant_row_inline(int type, const uint8_t *src, float *dst, int n) {
  switch (type) {
    case AV_F32: memcpy(dst, src, (size_t)n * 4); break;
    case AV_F16: for (int i = 0; i < n; i++) dst[i] = h2f(rd16(src + 2 * i)); break;
    case AV_BF16:
      for (int i = 0; i < n; i++) { uint32_t u = (uint32_t)rd16(src + 2 * i) << 16; memcpy(dst + i, &u, 4); }
      break;
    case AV_Q4_0: for (int i = 0; i < n / 32; i++) dq_q4_0(src + 18 * i, dst + 32 * i); break;
    case AV_Q4_1: for (int i = 0; i < n / 32; i++) dq_q4_1(src + 20 * i, dst + 32 * i); break;
    case AV_Q5_0: for (int i = 0; i < n / 32; i++) dq_q5_0(src + 22 * i, dst + 32 * i); break;
    case AV_Q5_1: for (int i = 0; i < n / 32; i++) dq_q5_1(src + 24 * i, dst + 32 * i); break;
    case AV_Q8_0: for (int i = 0; i < n / 32; i++) dq_q8_0(src + 34 * i, dst + 32 * i); break;
    case AV_Q4_K: for (int i = 0; i < n / 256; i++) dq_q4_k(src + 144 * i, dst + 256 * i); break;
    case AV_Q5_K: for (int i = 0; i < n / 256; i++) dq_q5_k(src + 176 * i, dst + 256 * i); break;
    case AV_Q6_K: for (int i = 0; i < n / 256; i++) dq_q6_k(src + 210 * i, dst + 256 * i); break;
    default: break;
  }
}

AV_INLINE float dot_f32(const float *a, const float *b, int n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    for (int j = 0; j < 8; j++) {
      s0 += a[i + j] * b[i + j];
      s1 += a[i + 8 + j] * b[i + 8 + j];
      s2 += a[i + 16 + j] * b[i + 16 + j];
      s3 += a[i + 24 + j] * b[i + 24 + j];
    }
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}
#endif
