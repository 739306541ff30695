/* Run-time choice of the instruction set: detected once, or forced by the executable's option
   (never by an environment variable). Every kernel entry point asks av_isa(). */
#include "CKernels.h"
#include <stdatomic.h>

static _Atomic int chosen = -1;

int av_isa_supported(int isa) {
  switch (isa) {
    case AV_ISA_SCALAR: return 1;
#if defined(__x86_64__)
    case AV_ISA_AVX2:
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    case AV_ISA_AVXVNNI:
      return av_isa_supported(AV_ISA_AVX2) && __builtin_cpu_supports("avxvnni");
    case AV_ISA_AVX512VNNI:
      return av_isa_supported(AV_ISA_AVX2) && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512vnni");
#endif
    default: return 0;
  }
}

int av_isa_best(void) {
  for (int isa = AV_ISA_AVX512VNNI; isa > AV_ISA_SCALAR; isa--)
    if (av_isa_supported(isa)) return isa;
  return AV_ISA_SCALAR;
}

int av_isa_select(int isa) {
  if (isa < 0) isa = av_isa_best();
  if (!av_isa_supported(isa)) return 0;
  atomic_store(&chosen, isa);
  return 1;
}

int av_isa(void) {
  int isa = atomic_load_explicit(&chosen, memory_order_relaxed);
  if (isa < 0) {
    isa = av_isa_best();
    atomic_store(&chosen, isa);
  }
  return isa;
}

const char *av_isa_name(int isa) {
  switch (isa) {
    case AV_ISA_SCALAR: return "scalar";
    case AV_ISA_AVX2: return "avx2";
    case AV_ISA_AVXVNNI: return "avxvnni";
    case AV_ISA_AVX512VNNI: return "avx512vnni";
    default: return "?";
  }
}

int av_cpu_has_avx2(void) { return av_isa() >= AV_ISA_AVX2; }
