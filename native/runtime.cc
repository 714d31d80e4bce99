#include "runtime.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>

namespace confound {

namespace {
std::atomic<int> wanted_threads{0};  // 0: never set, libtorch's default
}  // namespace

void set_threads_everywhere(int threads) {
  wanted_threads = threads;
  at::set_num_threads(threads);
}

void use_threads_here() {
  const int wanted = wanted_threads.load();
  // at::set_num_threads also drops oneDNN's cached primitives: only when this thread's count differs.
  if (wanted > 0 && at::get_num_threads() != wanted) at::set_num_threads(wanted);
}

void set_deterministic(bool on) {
  auto& context = at::globalContext();
  context.setDeterministicAlgorithms(on, /*warn_only=*/false);
  context.setDeterministicCuDNN(on);
  context.setBenchmarkCuDNN(false);
}

namespace {

// A queue served by one thread. Created on first use and never destroyed: the thread may still wait on
// the queue while static destructors run at exit.
class ComputeThread {
 public:
  ComputeThread() { std::thread([this] { serve(); }).detach(); }

  void run(const std::function<void()>& work) {
    std::packaged_task<void()> task(work);
    auto done = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(task));
    }
    ready_.notify_one();
    done.get();  // rethrows what `work` threw
  }

 private:
  [[noreturn]] void serve() {
    for (;;) {
      std::packaged_task<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !queue_.empty(); });
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      use_threads_here();
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::packaged_task<void()>> queue_;
};

}  // namespace

void run_on_compute_thread(const std::function<void()>& work) {
  static auto* compute = new ComputeThread();
  compute->run(work);
}

bool deterministic() { return at::globalContext().deterministicAlgorithms(); }

std::string cpu_capability() {
  // at::native::get_cpu_capability is not exported by every libtorch; its configuration text says the same.
  const std::string config = at::show_config();
  const std::string key = "CPU capability usage: ";
  const auto at_key = config.find(key);
  if (at_key == std::string::npos) return "unknown";
  const auto start = at_key + key.size();
  std::string level = config.substr(start, config.find('\n', start) - start);
  for (auto& c : level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return level;
}

}  // namespace confound
