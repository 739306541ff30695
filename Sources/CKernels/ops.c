/* Element-wise operations of the forward pass that cost enough to leave Swift: SwiGLU's exp ran
   one scalar expf per value on the calling thread while the pool's workers waited (perf on a 1.5B
   prefill: 6 % of the samples, after the prefill GEMM). */
#include "internal.h"
#include <math.h>

AV_INLINE void swiglu_generic(float *gate, const float *up, int n) {
  for (int i = 0; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

#if defined(__x86_64__)
#include "avx2_common.h"
AVX2 static void swiglu_avx2(float *gate, const float *up, int n) {
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 g = _mm256_loadu_ps(gate + i);
    __m256 e = exp256(_mm256_min_ps(_mm256_sub_ps(_mm256_setzero_ps(), g), _mm256_set1_ps(88.0f)));
    __m256 s = _mm256_div_ps(g, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
    _mm256_storeu_ps(gate + i, _mm256_mul_ps(s, _mm256_loadu_ps(up + i)));
  }
  swiglu_generic(gate + i, up + i, n - i);
}
#endif

static void swiglu_row(float *gate, const float *up, int n) {
#if defined(__x86_64__)
  if (av_cpu_has_avx2()) { swiglu_avx2(gate, up, n); return; }
#endif
  swiglu_generic(gate, up, n);
}

typedef struct { float *gate; const float *up; int n, R, ld; } swiglu_ctx;

static void swiglu_task(void *p, int ith, int nth) {
  swiglu_ctx *c = (swiglu_ctx *)p;
  for (int r = ith; r < c->R; r += nth) swiglu_row(c->gate + (size_t)r * c->ld, c->up + (size_t)r * c->ld, c->n);
}

void av_swiglu(float *gate, const float *up, int n, int R, int ld) {
  swiglu_ctx c = {gate, up, n, R, ld};
  if (R < 4 || av_pool_threads() == 1) swiglu_task(&c, 0, 1);
  else av_pool_run(swiglu_task, &c);
}

/* Index of the first largest value; NaN never wins (as `x > best` in a loop); -1 if n == 0. */
static int argmax_generic(const float *x, int n) {
  if (n <= 0) return -1;
  int best = 0;
  for (int i = 1; i < n; i++)
    if (x[i] > x[best]) best = i;
  return best;
}

#if defined(__x86_64__)
/* Every lane starts at x[0] and keeps its own first larger value (strict >, ordered: NaN never
   wins); the lanes are then joined by value, the lower index winning a tie: the scalar loop's
   result. A NaN at x[0] wins nothing in that loop either, so it answers 0. */
AVX2 static int argmax_avx2(const float *x, int n) {
  if (n < 16 || x[0] != x[0]) return argmax_generic(x, n);
  __m256 bv = _mm256_set1_ps(x[0]);
  __m256i bi = _mm256_setzero_si256(), idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i step = _mm256_set1_epi32(8);
  int i = 0;
  for (; i + 8 <= n; i += 8, idx = _mm256_add_epi32(idx, step)) {
    __m256 v = _mm256_loadu_ps(x + i);
    __m256 gt = _mm256_cmp_ps(v, bv, _CMP_GT_OQ);
    bv = _mm256_blendv_ps(bv, v, gt);
    bi = _mm256_blendv_epi8(bi, idx, _mm256_castps_si256(gt));
  }
  int ids[8];
  _mm256_storeu_si256((__m256i *)ids, bi);
  int best = 0;
  for (int l = 0; l < 8; l++)
    if (x[ids[l]] > x[best] || (x[ids[l]] == x[best] && ids[l] < best)) best = ids[l];
  for (; i < n; i++)
    if (x[i] > x[best]) best = i;
  return best;
}
#endif

int av_argmax_isa(int isa, const float *x, int n) {
  if (!av_isa_supported(isa)) return -2;
#if defined(__x86_64__)
  if (isa >= AV_ISA_AVX2) return argmax_avx2(x, n);
#endif
  return argmax_generic(x, n);
}

int av_argmax(const float *x, int n) { return av_argmax_isa(av_isa(), x, n); }
