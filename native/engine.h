// One trainable model: a DenseNet, its Adam optimiser and the device it lives on. Plain libtorch,
// no N-API: the binding (addon.cc) copies typed arrays in and out and calls these on a worker thread.
#pragma once

#include "densenet.h"

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace confound {

// A named tensor crossing the boundary: float32 or int64 (num_batches_tracked, the Adam step), on the CPU.
struct NamedTensor {
  std::string name;
  torch::Tensor tensor;
};

struct LossAndGradients {
  double loss;
  std::vector<NamedTensor> gradients;  // one per parameter, torchvision names
};

struct CamData {
  torch::Tensor activations;  // [N, C, h, w] output of the chosen layer
  torch::Tensor gradients;    // d logit_i / d activations_i, same shape
  torch::Tensor logits;       // [N]
};

class Engine {
 public:
  // precision: "fp32", or "bf16" (forward passes under libtorch's autocast to bfloat16; weights, gradients
  // and Adam's state stay float32). channels_last: convolution weights, inputs and so every activation are
  // kept NHWC in memory, which oneDNN's CPU kernels take without reordering; what crosses the boundary
  // (images, state, captures) stays NCHW.
  Engine(const std::string& arch, int64_t in_channels, uint64_t seed, const std::string& device,
         const std::string& precision = "fp32", bool channels_last = false);

  // One Adam step on the mean of weights_i * BCEWithLogits(logit_i, target_i); returns that loss.
  double train_step(const torch::Tensor& images, const torch::Tensor& targets, const torch::Tensor& weights);
  // The same loss and its gradients, in train mode, leaving parameters, buffers and optimiser untouched.
  LossAndGradients loss_and_gradients(const torch::Tensor& images, const torch::Tensor& targets,
                                      const torch::Tensor& weights);
  // Sigmoid probabilities [N], eval mode, no autograd.
  torch::Tensor predict(const torch::Tensor& images);
  CamData cam_data(const torch::Tensor& images, const std::string& layer);

  void set_learning_rate(double lr);
  std::vector<std::string> layer_names() const { return net_->layer_names(); }
  std::string device() const { return device_.str(); }
  int64_t channels() const { return net_->config.in_channels; }

  // Parameters and buffers under torchvision names, then Adam's state as "optimizer.step" (int64) and
  // "optimizer.exp_avg.<param>", "optimizer.exp_avg_sq.<param>" once a step has been taken.
  std::vector<NamedTensor> get_state();
  // Replaces the named tensors (any subset; unknown names and shape or dtype mismatches throw and change
  // nothing). With replace_optimizer, Adam's state becomes what `tensors` holds: cleared when it holds none.
  void set_state(const std::vector<NamedTensor>& tensors, bool replace_optimizer);

  // Called in train_step between backward and the optimiser step with every parameter's gradient, to change
  // them in place (data-parallel training averages them over processes here, dist.h).
  std::function<void(const std::vector<torch::Tensor>&)> gradient_hook;

  // Serialises calls on one model; the TypeScript side already queues them.
  std::mutex mutex;

 private:
  torch::Tensor loss_on(const torch::Tensor& images, const torch::Tensor& targets, const torch::Tensor& weights);
  torch::Tensor forward(const torch::Tensor& images, const std::string& layer = "",
                        torch::Tensor* captured = nullptr);
  torch::Device device_;
  bool bf16_ = false;
  torch::MemoryFormat memory_format_ = torch::MemoryFormat::Contiguous;
  DenseNet net_{nullptr};
  std::unique_ptr<torch::optim::Adam> optimizer_;
};

// Process-wide libtorch settings.
void set_threads(int threads);
int get_threads();
bool cuda_available();
int64_t cuda_device_count();
std::string libtorch_version();

}  // namespace confound
