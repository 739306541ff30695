/* Dequantization of GGML block formats (layouts as in ggml-quants.c). */
#include "CKernels.h"
#include "internal.h"
#include <string.h>

int av_type_block_size(int type) {
  switch (type) {
    case AV_F32: case AV_F16: case AV_BF16: return 1;
    case AV_Q4_0: case AV_Q4_1: case AV_Q5_0: case AV_Q5_1: case AV_Q8_0: return 32;
    case AV_Q4_K: case AV_Q5_K: case AV_Q6_K: return 256;
    default: return 0;
  }
}

int av_type_block_bytes(int type) {
  switch (type) {
    case AV_F32: return 4;
    case AV_F16: case AV_BF16: return 2;
    case AV_Q4_0: return 18;
    case AV_Q4_1: return 20;
    case AV_Q5_0: return 22;
    case AV_Q5_1: return 24;
    case AV_Q8_0: return 34;
    case AV_Q4_K: return 144;
    case AV_Q5_K: return 176;
    case AV_Q6_K: return 210;
    default: return 0;
  }
}

void av_dequant_row(int type, const void *src, float *dst, int n) {
  dequant_row_inline(type, (const uint8_t *)src, dst, n);
}
