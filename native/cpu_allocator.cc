#include "cpu_allocator.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>

namespace confound {

namespace {

constexpr std::size_t kMinCached = 64 * 1024;  // smaller blocks: malloc is fast and keeps them anyway

// Data pointer and context are the same pointer, as libtorch's raw_allocate/raw_deallocate (used by
// oneDNN) require; the sizes of the blocks handed out are kept on the side.
class CachingCpuAllocator : public c10::Allocator {
 public:
  explicit CachingCpuAllocator(std::size_t max_cached) : max_cached_(max_cached) {}

  // libtorch 1.x declares allocate const, 2.x not: define both, each overrides the one its base has.
  c10::DataPtr allocate(std::size_t n) const { return wrap(n < kMinCached ? c10::alloc_cpu(n) : take(n)); }
  c10::DataPtr allocate(std::size_t n) { return static_cast<const CachingCpuAllocator*>(this)->allocate(n); }
  c10::DeleterFnPtr raw_deleter() const override { return &release; }
  // Pure virtual in libtorch 2.x, absent in 1.x.
  void copy_data(void* dest, const void* src, std::size_t count) const { std::memcpy(dest, src, count); }

  static CachingCpuAllocator* instance;  // never destroyed: tensors may outlive static destructors

 private:
  static c10::DataPtr wrap(void* p) { return {p, p, &release, c10::Device(c10::DeviceType::CPU)}; }

  // A cached block of n bytes up to 1/8 more, else a new one.
  void* take(std::size_t n) const {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.lower_bound(n);
      if (it != free_.end() && it->first <= n + n / 8) {
        void* p = it->second;
        live_[p] = it->first;
        cached_ -= it->first;
        free_.erase(it);
        return p;
      }
    }
    void* p = c10::alloc_cpu(n);
    std::lock_guard<std::mutex> lock(mutex_);
    live_[p] = n;
    return p;
  }

  static void release(void* p) {
    auto& self = *instance;
    {
      std::lock_guard<std::mutex> lock(self.mutex_);
      auto it = self.live_.find(p);
      if (it != self.live_.end()) {
        const std::size_t size = it->second;
        self.live_.erase(it);
        if (self.cached_ + size <= self.max_cached_) {
          self.free_.emplace(size, p);
          self.cached_ += size;
          return;
        }
      }
    }
    c10::free_cpu(p);
  }

  const std::size_t max_cached_;
  mutable std::mutex mutex_;
  mutable std::multimap<std::size_t, void*> free_;      // size -> cached block
  mutable std::unordered_map<void*, std::size_t> live_;  // cacheable blocks in use -> size
  mutable std::size_t cached_ = 0;
};

CachingCpuAllocator* CachingCpuAllocator::instance = nullptr;

}  // namespace

void install_caching_cpu_allocator(std::size_t max_cached_bytes) {
  static std::once_flag once;
  std::call_once(once, [&] {
    CachingCpuAllocator::instance = new CachingCpuAllocator(max_cached_bytes);
    c10::SetCPUAllocator(CachingCpuAllocator::instance, /*priority=*/1);  // above the default allocator's 0
  });
}

}  // namespace confound
