/* Compiles the 256-bit kernel header named by ISA256_BODY once per instruction set without
   AVX-512: AVX2 (VNNI 0: vpmaddubsw + vpmaddwd) and AVX-VNNI (VNNI 1: vpdpbusd). In the body,
   F(name) is name_avx2 / name_avxvnni and KT_FN / KT_INLINE carry the matching target, so each
   set's functions are compiled for it alone. One list of the sets and their targets for every
   256-bit kernel (packed_b32_avx2.c, gemm_kq_avx2.c). */
#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SFX)
#define KT_FN __attribute__((target(KT)))
#define KT_INLINE static inline __attribute__((always_inline, target(KT)))

#define SFX avx2
#define KT "avx2,fma,f16c"
#define VNNI 0
#include ISA256_BODY
#undef SFX
#undef KT
#undef VNNI

#define SFX avxvnni
#define KT "avx2,fma,f16c,avxvnni"
#define VNNI 1
#include ISA256_BODY
#undef SFX
#undef KT
#undef VNNI

#undef F
#undef CAT
#undef CAT_
#undef KT_FN
#undef KT_INLINE
#undef ISA256_BODY
