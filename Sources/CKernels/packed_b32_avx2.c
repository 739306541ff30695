/* The packed weights of av_pack (packed_b32_avx512.c: groups of 16 output rows, their blocks'
   bytes transposed by 32-bit words) read with 256-bit vectors, for CPUs without AVX-512: AVX2
   (vpmaddubsw) and AVX-VNNI (vpdpbusd). The layout is the AVX-512 one, so one packed copy serves
   every instruction set: the low 32 bytes of each 64-byte vector are rows 0-7 of the group, the
   high 32 bytes rows 8-15, and a group is done as two halves of 8 rows.

   Why: the file-layout kernels (q8_kernels.h) decode each weight block for one output row and
   then, per activation row, multiply, reduce and scale that row's 32 products (~8 instructions);
   here output row i of a half-group lives in lane i, so an activation row costs 8 products of 8
   rows each and one scale per block, and nothing is reduced across lanes (bench --isa avx2:
   DECISIONS.md, session 10).

   On AVX2 the 4-bit types' products are summed in 16 bits before one vpmaddwd per block: a
   product pair is at most 2 * 15 * 127 = 3810 and a block adds 8 of them (30480 < 32767);
   Q5_0's pairs reach 2 * 31 * 127 = 7874, so its two per vector are widened at once.
   Q8_0's bytes are stored q + 128; AVX2 takes |q| and moves the sign to the activation
   (vpsignb), AVX-VNNI multiplies q + 128 and subtracts 128 * sum(x) through the min term. */
#if defined(__x86_64__)
#include "packed_layout.h"
#include "q8_types.h"

#define HALF_ROWS 8 /* output rows per 256-bit vector */
#define HALF_NR 4   /* activation rows per register tile */

#define ISA256_BODY "packed_b32_256.h"
#include "isa256_each.h"
#endif
