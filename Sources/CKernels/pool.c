/* A persistent worker pool: workers spin briefly, then sleep on a condition variable, so a
   token's ~200 matmuls pay no thread creation and little wake-up latency. */
#include "CKernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

#define AV_MAX_THREADS 64
#define AV_SPIN 20000

static struct {
  int n;
  pthread_t th[AV_MAX_THREADS];
  _Atomic int gen;
  _Atomic int pending;
  _Atomic int sleeping;
  _Atomic int quit;
  av_task_fn fn;
  void *ctx;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} P = {.n = 1, .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static pthread_mutex_t run_mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  int ith = (int)(intptr_t)arg;
  int seen = atomic_load(&P.gen);
  for (;;) {
    int spins = 0;
    while (atomic_load_explicit(&P.gen, memory_order_acquire) == seen && spins < AV_SPIN) {
      CPU_RELAX();
      spins++;
    }
    if (atomic_load(&P.gen) == seen) {
      pthread_mutex_lock(&P.mu);
      atomic_fetch_add(&P.sleeping, 1);
      while (atomic_load(&P.gen) == seen) pthread_cond_wait(&P.cv, &P.mu);
      atomic_fetch_sub(&P.sleeping, 1);
      pthread_mutex_unlock(&P.mu);
    }
    seen = atomic_load(&P.gen);
    if (atomic_load(&P.quit)) return NULL;
    P.fn(P.ctx, ith, P.n);
    atomic_fetch_sub_explicit(&P.pending, 1, memory_order_acq_rel);
  }
}

static void pool_stop(void) {
  if (P.n <= 1) return;
  atomic_store(&P.quit, 1);
  pthread_mutex_lock(&P.mu);
  atomic_fetch_add(&P.gen, 1);
  pthread_cond_broadcast(&P.cv);
  pthread_mutex_unlock(&P.mu);
  for (int i = 1; i < P.n; i++) pthread_join(P.th[i], NULL);
  atomic_store(&P.quit, 0);
  P.n = 1;
}

void av_pool_init(int nthreads) {
  pthread_mutex_lock(&run_mu);
  if (nthreads < 1) nthreads = 1;
  if (nthreads > AV_MAX_THREADS) nthreads = AV_MAX_THREADS;
  if (nthreads != P.n) {
    pool_stop();
    P.n = nthreads;
    for (int i = 1; i < nthreads; i++) pthread_create(&P.th[i], NULL, worker, (void *)(intptr_t)i);
  }
  pthread_mutex_unlock(&run_mu);
}

int av_pool_threads(void) { return P.n; }

void av_pool_run(av_task_fn fn, void *ctx) {
  pthread_mutex_lock(&run_mu);
  if (P.n == 1) {
    fn(ctx, 0, 1);
    pthread_mutex_unlock(&run_mu);
    return;
  }
  P.fn = fn;
  P.ctx = ctx;
  atomic_store(&P.pending, P.n - 1);
  atomic_fetch_add_explicit(&P.gen, 1, memory_order_release);
  if (atomic_load(&P.sleeping) > 0) {
    pthread_mutex_lock(&P.mu);
    pthread_cond_broadcast(&P.cv);
    pthread_mutex_unlock(&P.mu);
  }
  fn(ctx, 0, P.n);
  while (atomic_load_explicit(&P.pending, memory_order_acquire) > 0) CPU_RELAX();
  pthread_mutex_unlock(&run_mu);
}
