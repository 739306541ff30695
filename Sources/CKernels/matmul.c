/* Multi-row matrix-vector products over quantized weights. Each weight row is dequantized once
   (into L1) and dotted with all R activation rows, so an R-row step reads the weights once. */
#include "internal.h"
#include <cblas.h>
#include <stdlib.h>
#include <stdatomic.h>

static __thread float *tls_buf = NULL;
static __thread int tls_cap = 0;

static float *row_buffer(int n) {
  if (n > tls_cap) {
    free(tls_buf);
    tls_buf = (float *)aligned_alloc(64, (size_t)((n + 15) / 16 * 16) * 4);
    tls_cap = (n + 15) / 16 * 16;
  }
  return tls_buf;
}

AV_INLINE void range_body(int type, const uint8_t *W, size_t rowBytes, int o0, int o1, int nIn,
                          const float *x, int ldx, int R, float *y, int ldy, float *tmp) {
  for (int o = o0; o < o1; o++) {
    const uint8_t *row = W + rowBytes * (size_t)o;
    const float *wr;
    if (type == AV_F32) {
      wr = (const float *)row;
    } else {
      dequant_row_inline(type, row, tmp, nIn);
      wr = tmp;
    }
    for (int r = 0; r < R; r++) y[(size_t)r * ldy + o] = dot_f32(wr, x + (size_t)r * ldx, nIn);
  }
}

static void range_generic(int type, const uint8_t *W, size_t rowBytes, int o0, int o1, int nIn,
                          const float *x, int ldx, int R, float *y, int ldy, float *tmp) {
  range_body(type, W, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy, tmp);
}

int av_matmul_range_avx2(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                         const float *x, int ldx, int R, float *y, int ldy);

/* Portable path: the scalar reference loop (dequantize a row, dot it with every activation row). */
void av_matmul_range_generic(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                             const float *x, int ldx, int R, float *y, int ldy) {
  range_generic(type, (const uint8_t *)W, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy, row_buffer(nIn));
}

void av_matmul_range(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                     const float *x, int ldx, int R, float *y, int ldy) {
  float *tmp = row_buffer(nIn);
#if defined(__x86_64__)
  if (av_cpu_has_avx2() && av_matmul_range_avx2(type, W, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy)) return;
#endif
  range_generic(type, (const uint8_t *)W, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy, tmp);
}

typedef struct {
  int type; const void *W; size_t rowBytes; int nOut, nIn;
  const float *x; int ldx, R; float *y; int ldy;
  float *scratch; int tileRows;
} mm_ctx;

#if defined(__x86_64__)
void av_quantize_q8(const float *x, int n, void *out);
void av_quantize_q8k(const float *x, int n, void *out);
int av_q8_supported(int type);
int av_q8_is_k(int type);
size_t av_q8_row_bytes(int nIn);
size_t av_q8k_row_bytes(int nIn);
int av_matmul_range_q8_isa(int isa, int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                           const void *xq, const void *xk, int R, float *y, int ldy);
void av_kq_xextra(const void *xk, int R, int nIn, void *out);
size_t av_kq_xextra_bytes(int R, int nIn);
int av_gemm_kq_avx512vnni(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                          const void *xk, const void *xe, int R, float *y, int ldy);
int av_gemm_kq_avx2(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn, const void *xk, const void *xe,
                    int R, float *y, int ldy);
int av_gemm_kq_avxvnni(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn, const void *xk, const void *xe,
                       int R, float *y, int ldy);
int av_gemm_b32_avx512vnni(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                           const void *xq, int R, float *y, int ldy);
void av_packed_b32_avx512vnni(int type, const void *P, int g0, int g1, int nIn, const void *xq, int R, float *y,
                              int ldy);
void av_packed_b32_avxvnni(int type, const void *P, int g0, int g1, int nIn, const void *xq, int R, float *y, int ldy);
void av_packed_b32_avx2(int type, const void *P, int g0, int g1, int nIn, const void *xq, int R, float *y, int ldy);

/* The packed kernel of `isa` (one layout for all, av_pack). */
static void packed_b32(int isa, int type, const void *P, int g0, int g1, int nIn, const void *xq, int R, float *y,
                       int ldy) {
  switch (isa) {
    case AV_ISA_AVX512VNNI: av_packed_b32_avx512vnni(type, P, g0, g1, nIn, xq, R, y, ldy); break;
    case AV_ISA_AVXVNNI: av_packed_b32_avxvnni(type, P, g0, g1, nIn, xq, R, y, ldy); break;
    default: av_packed_b32_avx2(type, P, g0, g1, nIn, xq, R, y, ldy); break;
  }
}
#endif

/* From this many activation rows the repacked-tile GEMMs (gemm_kq_avx512.c, gemm_kq_256.h) take
   over from the multi-row kernels. Harness, one thread, weights in cache: K-quants (1536x1536)
   GEMM/multi-row time 1.0-1.2 at 5 rows, 1.1-1.3 faster at 6; 32-value types (896x896 Q5_0) 1.14x
   faster at 3 rows, 2.1x at 6. But in the model a 3-row decode step on SmolLM2 took the GEMM from
   1.48-1.57x to 1.9-2.6x a 1-row step (weights from memory, repacked for 3 rows only), so both
   start at 6 (prefill; decode steps keep the multi-row kernels). The K-quants' 256-bit GEMM (AVX2,
   AVX-VNNI; gemm_kq_256.h) starts at 6 too: its 16-row prefill was already 1.4x the multi-row
   kernels' (DECISIONS.md, session 11); the threshold itself was not tuned for it. */
#define AV_GEMM_MIN_ROWS_K 6
#define AV_GEMM_MIN_ROWS_32 6
int av_gemm_min_rows(void) { return AV_GEMM_MIN_ROWS_K < AV_GEMM_MIN_ROWS_32 ? AV_GEMM_MIN_ROWS_K : AV_GEMM_MIN_ROWS_32; }
static int uses_gemm(int isa, int R) { return isa >= AV_ISA_AVX2 && R >= AV_GEMM_MIN_ROWS_K; }
static int uses_gemm32(int isa, int R) { return isa == AV_ISA_AVX512VNNI && R >= AV_GEMM_MIN_ROWS_32; }

#if defined(__x86_64__)
/* The K-quant prefill GEMM of `isa`: 16-row tiles on AVX-512 VNNI, 8-row tiles on 256 bits. */
static int gemm_kq(int isa, int type, const void *W, size_t rowBytes, int o0, int o1, int nIn, const void *xk,
                   const void *xe, int R, float *y, int ldy) {
  switch (isa) {
    case AV_ISA_AVX512VNNI: return av_gemm_kq_avx512vnni(type, W, rowBytes, o0, o1, nIn, xk, xe, R, y, ldy);
    case AV_ISA_AVXVNNI: return av_gemm_kq_avxvnni(type, W, rowBytes, o0, o1, nIn, xk, xe, R, y, ldy);
    default: return av_gemm_kq_avx2(type, W, rowBytes, o0, o1, nIn, xk, xe, R, y, ldy);
  }
}
#endif

static __thread uint8_t *q8_buf = NULL;
static __thread size_t q8_cap = 0;

static void split(int n, int ith, int nth, int *a, int *b) {
  /* chunks rounded to 8 rows so threads do not share cache lines of y */
  int chunk = ((n + nth - 1) / nth + 7) / 8 * 8;
  *a = ith * chunk;
  *b = *a + chunk;
  if (*a > n) *a = n;
  if (*b > n) *b = n;
}

/* Quantizes R activation rows once into a q8 buffer: 32-value blocks if `want32`, then 256-value
   blocks if `wantK` (nIn a multiple of 256), then the GEMM's sums of those if `wantE`. Sets *xq /
   *xk / *xe (NULL when not made). */
static void quantize_rows(const float *x, int ldx, int R, int nIn, int want32, int wantK, int wantE,
                          uint8_t **buf, size_t *cap, const void **xq, const void **xk, const void **xe) {
  *xq = *xk = *xe = NULL;
#if defined(__x86_64__)
  if (nIn % 32 != 0) return;
  if (nIn % 256 != 0) wantK = 0;
  if (!wantK) wantE = 0;
  size_t rb = want32 ? av_q8_row_bytes(nIn) : 0, rk = wantK ? av_q8k_row_bytes(nIn) : 0;
  size_t re = wantE ? av_kq_xextra_bytes(R, nIn) : 0;
  size_t need = (rb + rk) * (size_t)R + re + 192;
  if (need > *cap) { free(*buf); *cap = (need + 63) / 64 * 64; *buf = (uint8_t *)aligned_alloc(64, *cap); }
  uint8_t *p = *buf;
  if (want32) { for (int r = 0; r < R; r++) av_quantize_q8(x + (size_t)r * ldx, nIn, p + rb * (size_t)r); *xq = p; }
  p += (rb * (size_t)R + 63) / 64 * 64;
  if (wantK) { for (int r = 0; r < R; r++) av_quantize_q8k(x + (size_t)r * ldx, nIn, p + rk * (size_t)r); *xk = p; }
  p += (rk * (size_t)R + 63) / 64 * 64;
  if (wantE) { av_kq_xextra(*xk, R, nIn, p); *xe = p; }
#else
  (void)x; (void)ldx; (void)R; (void)nIn; (void)want32; (void)wantK; (void)wantE; (void)buf; (void)cap;
#endif
}

int av_q8_kernel(int type) {
#if defined(__x86_64__)
  return av_isa() >= AV_ISA_AVX2 && av_q8_supported(type);
#else
  (void)type;
  return 0;
#endif
}

/* Rows [o0, o1) with 8-bit activations on `isa`; 0 if not handled (then the float path runs).
   Rows in whole tiles (16 rows on AVX-512, 8 on 256 bits) take the GEMMs when uses_gemm/uses_gemm32 (the K-quants' needs xe, the GEMM's
   activation sums). */
static int range_q8(int isa, int type, const void *W, const void *P, size_t rowBytes, int o0, int o1, int nIn,
                    const void *xq, const void *xk, const void *xe, int R, float *y, int ldy) {
#if defined(__x86_64__)
  if (!av_q8_supported(type) || !(av_q8_is_k(type) ? xk : xq)) return 0;
  if (P && isa >= AV_ISA_AVX2 && av_packable(type)) {
    /* the whole groups of 16 inside [o0, o1) from P; rows before and after them below */
    int g0 = (o0 + 15) / 16, g1 = o1 / 16;
    if (g1 > g0) {
      /* rows around the groups first: if the file-layout kernel declines them, the caller's float
         path redoes the whole range */
      if (16 * g0 > o0 && !av_matmul_range_q8_isa(isa, type, W, rowBytes, o0, 16 * g0, nIn, xq, xk, R, y, ldy)) return 0;
      if (o1 > 16 * g1 && !av_matmul_range_q8_isa(isa, type, W, rowBytes, 16 * g1, o1, nIn, xq, xk, R, y, ldy)) return 0;
      packed_b32(isa, type, P, g0, g1, nIn, xq, R, y, ldy);
      return 1;
    }
  }
  if (xe && av_q8_is_k(type) && uses_gemm(isa, R)) {
    int rows = isa == AV_ISA_AVX512VNNI ? 16 : 8; /* a tile's output rows */
    int ot = o0 + (o1 - o0) / rows * rows;
    if (ot > o0 && gemm_kq(isa, type, W, rowBytes, o0, ot, nIn, xk, xe, R, y, ldy)) o0 = ot;
    if (o0 == o1) return 1;
  }
  if (!av_q8_is_k(type) && uses_gemm32(isa, R)) {
    int o16 = o0 + (o1 - o0) / 16 * 16;
    if (o16 > o0 && av_gemm_b32_avx512vnni(type, W, rowBytes, o0, o16, nIn, xq, R, y, ldy)) o0 = o16;
    if (o0 == o1) return 1;
  }
  return av_matmul_range_q8_isa(isa, type, W, rowBytes, o0, o1, nIn, xq, xk, R, y, ldy);
#else
  (void)isa; (void)type; (void)W; (void)P; (void)rowBytes; (void)o0; (void)o1; (void)nIn; (void)xq; (void)xk; (void)xe;
  (void)R; (void)y; (void)ldy;
  return 0;
#endif
}

#if defined(__x86_64__)
/* range_q8 on one thread with its own activation quantization (the test entry points). */
static int range_q8_alone(int isa, int type, const void *W, const void *P, size_t rowBytes, int o0, int o1, int nIn,
                          const float *x, int ldx, int R, float *y, int ldy) {
  uint8_t *buf = NULL;
  size_t cap = 0;
  const void *xq, *xk, *xe;
  quantize_rows(x, ldx, R, nIn, !av_q8_is_k(type), av_q8_is_k(type), uses_gemm(isa, R), &buf, &cap, &xq, &xk, &xe);
  int done = range_q8(isa, type, W, P, rowBytes, o0, o1, nIn, xq, xk, xe, R, y, ldy);
  free(buf);
  return done;
}
#endif

int av_matmul_range_isa(int isa, int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                        const float *x, int ldx, int R, float *y, int ldy, int fast) {
  if (!av_isa_supported(isa)) return 0;
  if (isa == AV_ISA_SCALAR) {
    av_matmul_range_generic(type, W, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy);
    return 1;
  }
#if defined(__x86_64__)
  if (fast && range_q8_alone(isa, type, W, NULL, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy)) return 1;
  if (av_matmul_range_avx2(type, W, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy)) return 1;
#endif
  av_matmul_range_generic(type, W, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy);
  return 1;
}

void av_matmul(int type, const void *W, size_t rowBytes, int nOut, int nIn, const float *x,
               int ldx, int R, float *y, int ldy, int fast) {
  av_matmul_p(type, W, NULL, rowBytes, nOut, nIn, x, ldx, R, y, ldy, fast);
}

void av_matmul_p(int type, const void *W, const void *P, size_t rowBytes, int nOut, int nIn, const float *x,
                 int ldx, int R, float *y, int ldy, int fast) {
  av_mat_out m = {type, W, rowBytes, nOut, y, ldy, P};
  av_matmul_multi(1, &m, nIn, x, ldx, R, fast);
}

int av_matmul_packed_range_isa(int isa, int type, const void *W, const void *P, size_t rowBytes, int o0, int o1,
                               int nIn, const float *x, int ldx, int R, float *y, int ldy) {
#if defined(__x86_64__)
  if (isa < AV_ISA_AVX2 || !av_isa_supported(isa) || !av_packable(type) || nIn % 32 != 0) return 0;
  return range_q8_alone(isa, type, W, P, rowBytes, o0, o1, nIn, x, ldx, R, y, ldy);
#else
  (void)isa; (void)type; (void)W; (void)P; (void)rowBytes; (void)o0; (void)o1; (void)nIn; (void)x; (void)ldx; (void)R; (void)y;
  (void)ldy;
  return 0;
#endif
}

typedef struct {
  int n; const av_mat_out *m; int total, nIn; const float *x; int ldx, R; const void *xq, *xk, *xe;
  int isa, chunk; _Atomic int next;
} multi_ctx;

/* Output rows [a, b) of the concatenated matrices. */
static void multi_range(multi_ctx *c, int a, int b) {
  int base = 0;
  for (int i = 0; i < c->n && a < b; i++) {
    const av_mat_out *m = &c->m[i];
    int lo = a - base, hi = b - base;
    if (lo < 0) lo = 0;
    if (hi > m->nOut) hi = m->nOut;
    if (lo < hi) {
      if (!range_q8(c->isa, m->type, m->W, m->P, m->rowBytes, lo, hi, c->nIn, c->xq, c->xk, c->xe, c->R, m->y, m->ldy))
        av_matmul_range(m->type, m->W, m->rowBytes, lo, hi, c->nIn, c->x, c->ldx, c->R, m->y, m->ldy);
    }
    base += m->nOut;
  }
}

/* Threads take chunks of rows from a shared counter, so a thread slowed by the other tenant of a
   shared core does not hold the step back (a static half each did). */
static void multi_task(void *p, int ith, int nth) {
  multi_ctx *c = (multi_ctx *)p;
  (void)ith; (void)nth;
  for (;;) {
    int a = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed) * c->chunk;
    if (a >= c->total) return;
    multi_range(c, a, a + c->chunk < c->total ? a + c->chunk : c->total);
  }
}

void av_matmul_multi(int n, const av_mat_out *m, int nIn, const float *x, int ldx, int R, int fast) {
  multi_ctx c = {n, m, 0, nIn, x, ldx, R, NULL, NULL, NULL, av_isa(), 0, 0};
  int want32 = 0, wantK = 0;
  for (int i = 0; i < n; i++) {
    c.total += m[i].nOut;
#if defined(__x86_64__)
    if (av_q8_supported(m[i].type)) { if (av_q8_is_k(m[i].type)) wantK = 1; else want32 = 1; }
#endif
  }
  if (fast && c.isa >= AV_ISA_AVX2 && (want32 || wantK))
    quantize_rows(x, ldx, R, nIn, want32, wantK, uses_gemm(c.isa, R), &q8_buf, &q8_cap, &c.xq, &c.xk, &c.xe);
  if ((size_t)c.total * (size_t)nIn * (size_t)R < 32768 || av_pool_threads() == 1) {
    multi_range(&c, 0, c.total);
    return;
  }
  /* about 8 chunks per thread, whole cache lines of y */
  c.chunk = (c.total / (av_pool_threads() * 8) + 15) / 16 * 16;
  if (c.chunk < 16) c.chunk = 16;
  av_pool_run(multi_task, &c);
}

static void blas_task(void *p, int ith, int nth) {
  mm_ctx *c = (mm_ctx *)p;
  int a, b;
  split(c->nOut, ith, nth, &a, &b);
  float *tile = c->scratch + (size_t)ith * c->tileRows * c->nIn;
  for (int t0 = a; t0 < b; t0 += c->tileRows) {
    int rows = b - t0 < c->tileRows ? b - t0 : c->tileRows;
    for (int o = 0; o < rows; o++)
      av_dequant_row(c->type, (const uint8_t *)c->W + c->rowBytes * (size_t)(t0 + o),
                     tile + (size_t)o * c->nIn, c->nIn);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, c->R, rows, c->nIn, 1.0f, c->x, c->ldx,
                tile, c->nIn, 0.0f, c->y + t0, c->ldy);
  }
}

void av_matmul_blas(int type, const void *W, size_t rowBytes, int nOut, int nIn, const float *x,
                    int ldx, int R, float *y, int ldy, float *scratch, int tileRows) {
  mm_ctx c = {type, W, rowBytes, nOut, nIn, x, ldx, R, y, ldy, scratch, tileRows};
  av_pool_run(blas_task, &c);
}
