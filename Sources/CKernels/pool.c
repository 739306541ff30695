/* A persistent worker pool: workers spin briefly, then sleep on a condition variable, so a
   token's ~200 matmuls pay no thread creation and little wake-up latency.

   A task has n shares (n = the pool's threads); any thread runs any share, claimed from one atomic
   word holding (generation, next share). The caller claims shares too and then waits only for
   shares already claimed: a worker descheduled by another process (the live demo shares two cores
   with the UI and whatever the user runs) is not waited for unless it holds a share, so the step
   degrades to one thread instead of waiting a scheduler slice per matmul (DECISIONS.md,
   2026-11-30). Waiting threads yield the core after a short spin. */
#include "CKernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

#define AV_MAX_THREADS 64
#define AV_SPIN 4000        /* pauses before a waiting worker starts yielding */
#define AV_YIELDS 200       /* sched_yield calls before it sleeps */
#define AV_MAIN_SPIN 2000   /* pauses before the caller yields while shares finish */

static struct {
  int n;
  pthread_t th[AV_MAX_THREADS];
  _Atomic uint64_t state;   /* generation << 32 | next unclaimed share */
  _Atomic int done;         /* shares finished in this generation */
  _Atomic int sleeping;
  _Atomic int quit;
  av_task_fn fn;
  void *ctx;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} P = {.n = 1, .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static pthread_mutex_t run_mu = PTHREAD_MUTEX_INITIALIZER;

static inline uint32_t gen_of(uint64_t s) { return (uint32_t)(s >> 32); }

/* Claims and runs shares of generation `gen` until none is left. */
static void run_shares(uint32_t gen) {
  for (;;) {
    uint64_t s = atomic_load_explicit(&P.state, memory_order_acquire);
    if (gen_of(s) != gen || (int)(uint32_t)s >= P.n) return;
    if (!atomic_compare_exchange_weak_explicit(&P.state, &s, s + 1, memory_order_acq_rel, memory_order_relaxed))
      continue;
    /* The share is ours: the caller cannot return (nor change fn/ctx) before `done` counts it. */
    P.fn(P.ctx, (int)(uint32_t)s, P.n);
    atomic_fetch_add_explicit(&P.done, 1, memory_order_release);
  }
}

static void *worker(void *arg) {
  (void)arg;
  uint32_t seen = gen_of(atomic_load(&P.state));
  for (;;) {
    int spins = 0, yields = 0;
    while (gen_of(atomic_load_explicit(&P.state, memory_order_acquire)) == seen) {
      if (spins < AV_SPIN) { CPU_RELAX(); spins++; continue; }
      if (yields < AV_YIELDS) { sched_yield(); yields++; continue; }
      pthread_mutex_lock(&P.mu);
      atomic_fetch_add(&P.sleeping, 1);
      while (gen_of(atomic_load(&P.state)) == seen && !atomic_load(&P.quit)) pthread_cond_wait(&P.cv, &P.mu);
      atomic_fetch_sub(&P.sleeping, 1);
      pthread_mutex_unlock(&P.mu);
    }
    if (atomic_load(&P.quit)) return NULL;
    seen = gen_of(atomic_load_explicit(&P.state, memory_order_acquire));
    run_shares(seen);
  }
}

static void pool_stop(void) {
  if (P.n <= 1) return;
  pthread_mutex_lock(&P.mu);
  atomic_store(&P.quit, 1);
  atomic_fetch_add(&P.state, (uint64_t)1 << 32);
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
    /* No generation is open: every share of the last one is claimed. */
    P.n = nthreads;
    for (int i = 1; i < nthreads; i++) pthread_create(&P.th[i], NULL, worker, NULL);
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
  atomic_store_explicit(&P.done, 0, memory_order_relaxed);
  uint32_t gen = gen_of(atomic_load(&P.state)) + 1;
  atomic_store(&P.state, (uint64_t)gen << 32); /* seq_cst: pairs with a sleeper's check */
  if (atomic_load(&P.sleeping) > 0) {
    pthread_mutex_lock(&P.mu);
    pthread_cond_broadcast(&P.cv);
    pthread_mutex_unlock(&P.mu);
  }
  run_shares(gen);
  /* Every share is claimed; wait for those running on other threads. */
  int spins = 0;
  while (atomic_load_explicit(&P.done, memory_order_acquire) < P.n) {
    if (spins < AV_MAIN_SPIN) { CPU_RELAX(); spins++; }
    else sched_yield();
  }
  pthread_mutex_unlock(&run_mu);
}
