// DenseNet-BC (Huang et al., CVPR 2017) laid out exactly like torchvision.models.densenet121, so the
// parameter and buffer names (features.denseblock1.denselayer1.conv1.weight, ...) match a torchvision
// state_dict. One logit output. No N-API here: this file only needs libtorch.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace confound {

struct DenseNetConfig {
  int64_t growth_rate;
  std::vector<int64_t> block_config;  // dense layers per block
  int64_t init_features;
  int64_t bn_size;  // bottleneck width = bn_size * growth_rate
  int64_t in_channels;
};

// Known architectures: "densenet121", "densenet-small", "densenet-tiny". Throws std::invalid_argument.
DenseNetConfig config_for_arch(const std::string& arch, int64_t in_channels);
std::vector<std::string> arch_names();

struct DenseLayerImpl : torch::nn::Module {
  DenseLayerImpl(int64_t in_features, int64_t growth_rate, int64_t bn_size);
  torch::Tensor forward(const torch::Tensor& concatenated);
  torch::nn::BatchNorm2d norm1{nullptr}, norm2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(DenseLayer);

struct DenseBlockImpl : torch::nn::Module {
  DenseBlockImpl(int64_t layers, int64_t in_features, int64_t growth_rate, int64_t bn_size);
  torch::Tensor forward(const torch::Tensor& x);
  std::vector<DenseLayer> layers;
};
TORCH_MODULE(DenseBlock);

struct TransitionImpl : torch::nn::Module {
  TransitionImpl(int64_t in_features, int64_t out_features);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::BatchNorm2d norm{nullptr};
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Transition);

// torchvision's `features` Sequential: conv0, norm0, relu0, pool0, denseblock1, transition1, ..., norm5.
struct FeaturesImpl : torch::nn::Module {
  explicit FeaturesImpl(const DenseNetConfig& cfg);
  std::vector<std::pair<std::string, torch::nn::AnyModule>> stages;
  int64_t out_features = 0;
};
TORCH_MODULE(Features);

class DenseNetImpl : public torch::nn::Module {
 public:
  explicit DenseNetImpl(const DenseNetConfig& cfg);

  // Logits [N, 1]. When `layer` is not empty, the output of that layer is stored in *captured, and the
  // rest of the network runs on it, so autograd can give d logit / d captured.
  torch::Tensor forward(const torch::Tensor& x, const std::string& layer = "", torch::Tensor* captured = nullptr);

  // Names accepted by forward's `layer`: "features" (after norm5 and the final ReLU, the default for
  // CAM methods) and "features.<stage>" for every stage of `features` (features.norm5 is before the ReLU).
  std::vector<std::string> layer_names() const;

  // torchvision's initialisation: kaiming normal convolutions, BN weight 1 / bias 0, Linear bias 0.
  void reset_like_torchvision();

  const DenseNetConfig config;
  Features features{nullptr};
  torch::nn::Linear classifier{nullptr};
};
TORCH_MODULE(DenseNet);

}  // namespace confound
