#include "dist.h"

#include <stdexcept>

#ifdef CONFOUND_C10D
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef CONFOUND_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

namespace confound {

#ifdef CONFOUND_C10D

namespace {

// Gloo binds to the address that reaches the rendezvous host; GLOO_SOCKET_IFNAME picks an interface instead.
std::shared_ptr<::gloo::transport::Device> gloo_device(const std::string& host) {
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME")) {
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  }
  if (host == "127.0.0.1" || host == "localhost") return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

struct Dist::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#ifdef CONFOUND_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
};

Dist::Dist(const DistOptions& options) : options_(options), impl_(std::make_unique<Impl>()) {
  c10d::TCPStoreOptions store_options;
  store_options.port = static_cast<std::uint16_t>(options.port);
  store_options.isServer = options.rank == 0;
  store_options.numWorkers = options.world_size;
  store_options.waitWorkers = true;
  store_options.timeout = options.timeout;
  impl_->store = c10::make_intrusive<c10d::TCPStore>(options.host, store_options);
  auto gloo_options = c10d::ProcessGroupGloo::Options::create(options.timeout);
  gloo_options->devices.push_back(gloo_device(options.host));
  gloo_options->threads = 2;
  impl_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, options.rank, options.world_size, gloo_options);
#ifdef CONFOUND_NCCL
  if (options.cuda) {
    auto nccl_options = c10d::ProcessGroupNCCL::Options::create();
    nccl_options->timeout = options.timeout;
    impl_->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(impl_->store, options.rank, options.world_size, nccl_options);
  }
#endif
}

Dist::~Dist() = default;

void Dist::allreduce_mean(const std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return;
  torch::NoGradGuard no_grad;
  // One flat buffer: one collective per step instead of one per parameter.
  std::vector<torch::Tensor> flat_list;
  for (const auto& t : tensors) flat_list.push_back(t.reshape({-1}));
  auto flat = torch::cat(flat_list);
  const bool on_gpu = flat.is_cuda();
#ifdef CONFOUND_NCCL
  const bool use_nccl = on_gpu && impl_->nccl;
#else
  const bool use_nccl = false;
#endif
  std::vector<torch::Tensor> buffer{use_nccl || !on_gpu ? flat : flat.to(torch::kCPU)};
#ifdef CONFOUND_NCCL
  if (use_nccl) impl_->nccl->allreduce(buffer)->wait();
#endif
  if (!use_nccl) impl_->gloo->allreduce(buffer)->wait();
  auto reduced = buffer[0].to(flat.device()).div_(static_cast<double>(options_.world_size));
  int64_t offset = 0;
  for (const auto& t : tensors) {
    const auto n = t.numel();
    t.copy_(reduced.narrow(0, offset, n).view_as(t));
    offset += n;
  }
}

void Dist::barrier() { impl_->gloo->barrier()->wait(); }

std::string Dist::backend() const {
#ifdef CONFOUND_NCCL
  if (impl_->nccl) return "nccl";
#endif
  return "gloo";
}

std::string dist_backends() {
#ifdef CONFOUND_NCCL
  return "gloo+nccl";
#else
  return "gloo";
#endif
}

#else  // built without c10d

struct Dist::Impl {};

namespace {
[[noreturn]] void unavailable() {
  throw std::runtime_error(
      "this engine was built without libtorch's c10d/Gloo (the gloo headers were not found at build time; on "
      "Debian: apt-get install libgloo-dev, then node scripts/build-addon.mjs)");
}
}  // namespace

Dist::Dist(const DistOptions& options) : options_(options) { unavailable(); }
Dist::~Dist() = default;
void Dist::allreduce_mean(const std::vector<torch::Tensor>&) { unavailable(); }
void Dist::barrier() { unavailable(); }
std::string Dist::backend() const { return ""; }
std::string dist_backends() { return ""; }

#endif

}  // namespace confound
