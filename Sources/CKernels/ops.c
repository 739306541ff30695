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
