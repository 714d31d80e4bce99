// A user's TorchScript model (torch.jit.script / trace, saved with .save): load, forward, input gradient.
// Plain libtorch, no N-API; the binding (addon.cc) calls these on a worker thread.
#pragma once

#include <torch/script.h>

#include <mutex>
#include <string>

namespace confound {

struct ScriptGradient {
  torch::Tensor outputs;    // [N, K] (the model's first tensor output, flattened per image)
  torch::Tensor gradients;  // d outputs[:, index] / d images, [N, C, H, W]
};

class ScriptedModel {
 public:
  ScriptedModel(const std::string& path, const std::string& device);
  // The first tensor the model returns (a tuple's or list's first element), as [N, K], eval mode, no autograd.
  torch::Tensor forward(const torch::Tensor& images);
  // The outputs and the gradient of their column `index` with respect to the input, per image.
  ScriptGradient gradient(const torch::Tensor& images, int64_t index);
  std::string device() const { return device_.str(); }

  std::mutex mutex;

 private:
  torch::Tensor run(const torch::Tensor& images);
  torch::jit::Module module_;
  torch::Device device_;
};

}  // namespace confound
