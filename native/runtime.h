// Process-wide libtorch settings beyond the thread count: deterministic kernels, and what the CPU kernels
// were dispatched to (for benchmark notes). No N-API here.
#pragma once

#include <functional>
#include <string>

namespace confound {

// The process's intra-op thread count. libtorch's OpenMP backend keeps the count per calling thread, fixed
// when that thread first runs a parallel op: a worker thread set up under another count would keep it.
// use_threads_here() applies the process's count to the calling thread; run_on_compute_thread calls it.
void set_threads_everywhere(int threads);
void use_threads_here();

// Runs `work` on the process's one compute thread and waits for it; its exception is rethrown here.
// Why one thread: GNU OpenMP gives every thread that starts a parallel region a team of its own. libuv's
// pool has 4 threads, so calls landing on different ones made up to 4 teams; with more OpenMP threads than
// cores, libgomp cuts its spin-wait from 300k to 1k iterations and its threads sleep between the thousands
// of small parallel regions of a DenseNet step, so a second core bought almost nothing (densenet121 128 px:
// train 11.4 img/s with 2 threads vs 11.8 with 1; PyTorch, one team: 18.8). Calls from several models are
// serialised, as they would contend for the same cores anyway.
void run_on_compute_thread(const std::function<void()>& work);

// Deterministic algorithms on (ops without a deterministic kernel then throw), cuDNN deterministic and
// without autotuning; off restores libtorch's defaults.
void set_deterministic(bool on);
bool deterministic();
// ATen's CPU kernel level, e.g. "default", "avx2" or "avx512" (ATEN_CPU_CAPABILITY sets it).
std::string cpu_capability();

}  // namespace confound
