// Process-wide libtorch settings beyond the thread count: deterministic kernels, and what the CPU kernels
// were dispatched to (for benchmark notes). No N-API here.
#pragma once

#include <string>

namespace confound {

// The process's intra-op thread count. libtorch's OpenMP backend keeps the count per calling thread, fixed
// when that thread first runs a parallel op: a worker thread set up under another count would keep it, and
// which worker runs a call is a matter of timing. use_threads_here() applies the process's count to the
// calling thread; the binding calls it before every call.
void set_threads_everywhere(int threads);
void use_threads_here();

// Deterministic algorithms on (ops without a deterministic kernel then throw), cuDNN deterministic and
// without autotuning; off restores libtorch's defaults.
void set_deterministic(bool on);
bool deterministic();
// ATen's CPU kernel level, e.g. "default", "avx2" or "avx512" (ATEN_CPU_CAPABILITY sets it).
std::string cpu_capability();

}  // namespace confound
