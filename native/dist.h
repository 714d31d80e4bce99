// Data-parallel training over libtorch's own c10d: a TCPStore rendezvous and a Gloo process group (NCCL
// for CUDA tensors when the addon was built with it). No N-API here. Built without c10d (no Gloo headers),
// every entry point throws a message that says so.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace confound {

struct DistOptions {
  std::string host;  // the rendezvous (rank 0's TCPStore) address
  int port = 29500;
  int rank = 0;
  int world_size = 1;
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  bool cuda = false;  // gradients live on a GPU: NCCL when built with it, else Gloo through host copies
};

class Dist {
 public:
  explicit Dist(const DistOptions& options);
  ~Dist();
  // Sums the tensors over all ranks and divides by the world size, in place.
  void allreduce_mean(const std::vector<torch::Tensor>& tensors);
  void barrier();
  std::string backend() const;
  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }

 private:
  struct Impl;
  DistOptions options_;
  std::unique_ptr<Impl> impl_;
};

// "gloo", "gloo+nccl", or "" when the addon was built without c10d.
std::string dist_backends();

}  // namespace confound
