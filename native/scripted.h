// A user's TorchScript model (torch.jit.script / trace, saved with .save): load, forward, input gradient.
// Plain libtorch, no N-API; the binding (addon.cc) calls these on a worker thread.
#pragma once

#include <torch/script.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace confound {

struct ScriptGradient {
  torch::Tensor outputs;    // [N, K] (the model's first tensor output, flattened per image)
  torch::Tensor gradients;  // d outputs[:, index] / d images, [N, C, H, W]
};

struct ScriptCapture {
  torch::Tensor outputs;      // [N, K]
  torch::Tensor activations;  // the named submodule's output A, [N, C, h, w]
  torch::Tensor gradients;    // d outputs[:, index] / d A
};

class ScriptedModel {
 public:
  ScriptedModel(const std::string& path, const std::string& device);
  // The first tensor the model returns (a tuple's or list's first element), as [N, K], eval mode, no autograd.
  torch::Tensor forward(const torch::Tensor& images);
  // The outputs and the gradient of their column `index` with respect to the input, per image.
  ScriptGradient gradient(const torch::Tensor& images, int64_t index);
  // A named submodule's output and the gradient of output column `index` with respect to it (for Grad-CAM).
  ScriptCapture capture(const torch::Tensor& images, int64_t index, const std::string& layer);
  // Dotted names of every submodule ("features", "features.0", ...), in module order.
  std::vector<std::string> layers() const;
  std::string device() const { return device_.str(); }

  std::mutex mutex;

 private:
  torch::Tensor run(torch::jit::Module& module, const torch::Tensor& images);
  torch::jit::Module module_;
  std::map<std::string, torch::jit::Module> capturing_;  // per layer: a copy that keeps the layer's output
  torch::Device device_;
};

}  // namespace confound
