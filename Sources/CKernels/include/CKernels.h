#ifndef ASYNCVOICE_CKERNELS_H
#define ASYNCVOICE_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/* GGML tensor type ids (ggml.h). */
enum {
  AV_F32 = 0, AV_F16 = 1, AV_Q4_0 = 2, AV_Q4_1 = 3, AV_Q5_0 = 6, AV_Q5_1 = 7, AV_Q8_0 = 8,
  AV_Q4_K = 12, AV_Q5_K = 13, AV_Q6_K = 14, AV_BF16 = 30
};

/* Weights per block and bytes per block of a type; 0 if unsupported. */
int av_type_block_size(int type);
int av_type_block_bytes(int type);

/* Dequantize n values (n a multiple of the block size) of one row. */
void av_dequant_row(int type, const void *src, float *dst, int n);

/* Persistent worker pool (the caller is thread 0). Safe to call init again to resize. */
void av_pool_init(int nthreads);
int av_pool_threads(void);
typedef void (*av_task_fn)(void *ctx, int ith, int nth);
void av_pool_run(av_task_fn fn, void *ctx);
/* Instruction sets of the kernels, in order of preference. */
enum { AV_ISA_SCALAR = 0, AV_ISA_AVX2 = 1, AV_ISA_AVXVNNI = 2, AV_ISA_AVX512VNNI = 3 };
/* 1 if this CPU can run the kernels of `isa`. */
int av_isa_supported(int isa);
/* The best instruction set this CPU runs. */
int av_isa_best(void);
/* Chooses the kernels' instruction set for the process (-1: the best); 0 if the CPU lacks it.
   Called once at start by the executable; without a call av_isa() is av_isa_best(). */
int av_isa_select(int isa);
int av_isa(void);
const char *av_isa_name(int isa);
/* 1 if the chosen instruction set is AVX2 or better. */
int av_cpu_has_avx2(void);

/* y[r*ldy + o] = sum_i W[o][i] * x[r*ldx + i] for o < nOut, r < R. `fast`: 8-bit activations for
   Q4_0/Q4_1/Q5_0/Q5_1/Q8_0/Q4_K/Q6_K weights (llama.cpp's numerics); 0: float activations
   everywhere (matches the float reference to ~1e-4).
   W: nOut rows of nIn weights of `type`, rows `rowBytes` apart. Multi-row: each weight block
   is read once for all R rows. Split over the pool's threads by output rows. */
void av_matmul(int type, const void *W, size_t rowBytes, int nOut, int nIn,
               const float *x, int ldx, int R, float *y, int ldy, int fast);
/* The same with P, W repacked by av_pack (NULL: none); with 8-bit activations on AVX-512 VNNI
   the packed rows go through packed_b32_avx512.c, on AVX2 and AVX-VNNI through
   packed_b32_avx2.c; the rest (and the float path) read W. */
void av_matmul_p(int type, const void *W, const void *P, size_t rowBytes, int nOut, int nIn,
                 const float *x, int ldx, int R, float *y, int ldy, int fast);

/* Repacking at load (packed_b32_avx512.c): whether `type` has a packed layout, its size for a
   matrix (0 if none: fewer than 16 rows, or nIn not a multiple of 32) and the repack itself. */
int av_packable(int type);
size_t av_packed_bytes(int type, int nOut, int nIn);
void av_pack(int type, const void *W, size_t rowBytes, int nOut, int nIn, void *P);

/* 1 if the chosen instruction set has an 8-bit-activation kernel for `type`. */
int av_q8_kernel(int type);
/* Activation rows from which a matmul may take a prefill GEMM instead of the multi-row kernels
   (which give each row the same bits whatever the row count). */
int av_gemm_min_rows(void);

/* One output of a grouped matmul: nOut rows of weights, results at y[r*ldy + o]. */
typedef struct {
  int type; const void *W; size_t rowBytes; int nOut; float *y; int ldy;
  const void *P; /* W repacked by av_pack, or NULL */
} av_mat_out;

/* Several matrices applied to the same R activation rows (Q,K,V; gate,up) in one pass: the
   activations are quantized once and the pool is dispatched once over all their output rows. */
void av_matmul_multi(int n, const av_mat_out *m, int nIn, const float *x, int ldx, int R, int fast);

/* Same result through OpenBLAS sgemm on dequantized tiles of W (for large R). `scratch` holds
   nthreads * tileRows * nIn floats. */
void av_matmul_blas(int type, const void *W, size_t rowBytes, int nOut, int nIn,
                    const float *x, int ldx, int R, float *y, int ldy,
                    float *scratch, int tileRows);

/* One fragment (block) of a row's view for one layer. */
typedef struct {
  const void *k;    /* [len][nKV*hd] f32 or f16, keys rotated for block-relative positions */
  const void *v;    /* [len][nKV*hd] */
  int len;          /* visible keys */
  int cs;           /* index of this fragment's query rotation in the cos/sin table */
} av_frag;

/* Attention for R query rows over their views. Row r uses frags[fragStart[r] ..< fragStart[r+1]].
   Queries are rotated once per fragment by cs[cs*nRot ..] (first nRot/2 cos, then nRot/2 sin) and
   one softmax is taken over all fragments of the view. q/out: [R][nHead*hd]. kvF16: keys and
   values are stored as f16.
   scratch: nthreads * (nHead / nKV) * maxKeys floats (maxKeys scores per query head of a group). */
void av_attention(int R, const float *q, const av_frag *frags, const int *fragStart,
                  const float *cs, int nHead, int nKV, int hd, int nRot, int neox, float scale,
                  float *out, float *scratch, int maxKeys, int kvF16);

/* The same on one thread with an explicit instruction set (tests compare them); scratch for one
   thread. Returns 0 if the CPU cannot run `isa`. */
int av_attention_isa(int isa, int R, const float *q, const av_frag *frags, const int *fragStart, const float *cs,
                     int nHead, int nKV, int hd, int nRot, int neox, float scale, float *out, float *scratch, int maxKeys,
                     int kvF16);

/* Stores n floats as f32 (f16 = 0) or f16 (f16 = 1, round to nearest) at dst. */
void av_store_kv(const float *src, void *dst, int n, int f16);

/* gate[r*ld + i] = silu(gate[r*ld + i]) * up[r*ld + i] for i < n, r < R (several rows: over the pool). */
void av_swiglu(float *gate, const float *up, int n, int R, int ld);

/* Index of the first largest of n floats (NaN never wins; all NaN: 0); -1 if n == 0. The _isa form
   uses an explicit instruction set (tests) and returns -2 if the CPU cannot run it. */
int av_argmax(const float *x, int n);
int av_argmax_isa(int isa, const float *x, int n);

/* Rotate nHeads heads of x (each hd floats) by the angles in cs (nRot/2 cos then nRot/2 sin). */
void av_rope(float *x, int nHeads, int hd, int nRot, const float *cs, int neox);

/* Matmul kernels without threading (for tests and the reference loop). */
void av_matmul_range(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                     const float *x, int ldx, int R, float *y, int ldy);
/* One thread, an explicit instruction set (tests compare each with the scalar path): `fast` as in
   av_matmul. Returns 0 if the CPU cannot run `isa`. */
int av_matmul_range_isa(int isa, int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                        const float *x, int ldx, int R, float *y, int ldy, int fast);
/* One thread through the packed kernel of `isa` (8-bit activations): rows [o0, o1) of the matrix
   whose av_pack output is P (whole groups of 16 from P, the rest from W). 0 if the CPU cannot
   run `isa`, `isa` has no packed kernel (scalar) or the type has no packed layout. */
int av_matmul_packed_range_isa(int isa, int type, const void *W, const void *P, size_t rowBytes, int o0, int o1,
                               int nIn, const float *x, int ldx, int R, float *y, int ldy);
/* The portable scalar path, for tests comparing it with the SIMD kernels. */
void av_matmul_range_generic(int type, const void *W, size_t rowBytes, int o0, int o1, int nIn,
                             const float *x, int ldx, int R, float *y, int ldy);
#endif
