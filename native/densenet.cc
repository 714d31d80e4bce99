#include "densenet.h"

#include <optional>
#include <stdexcept>

namespace confound {

namespace nn = torch::nn;

DenseNetConfig config_for_arch(const std::string& arch, int64_t in_channels) {
  // torchvision densenet121: growth 32, blocks 6/12/24/16, 64 initial features, bottleneck 4 * growth.
  if (arch == "densenet121") return {32, {6, 12, 24, 16}, 64, 4, in_channels};
  // Slim variant for quick CPU studies: three blocks, so 16x downsampling leaves an 8x8 map at 128 px
  // (Grad-CAM at 4x4 could not tell a label box from its surroundings).
  if (arch == "densenet-small") return {16, {3, 6, 8}, 32, 4, in_channels};
  // Test-only: a few thousand parameters, 8x downsampling.
  if (arch == "densenet-tiny") return {4, {2, 2}, 8, 2, in_channels};
  throw std::invalid_argument("unknown architecture \"" + arch + "\"");
}

std::vector<std::string> arch_names() { return {"densenet121", "densenet-small", "densenet-tiny"}; }

static nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

DenseLayerImpl::DenseLayerImpl(int64_t in_features, int64_t growth_rate, int64_t bn_size) {
  norm1 = register_module("norm1", nn::BatchNorm2d(in_features));
  conv1 = register_module("conv1", conv(in_features, bn_size * growth_rate, 1, 1, 0));
  norm2 = register_module("norm2", nn::BatchNorm2d(bn_size * growth_rate));
  conv2 = register_module("conv2", conv(bn_size * growth_rate, growth_rate, 3, 1, 1));
}

torch::Tensor DenseLayerImpl::forward(const torch::Tensor& concatenated) {
  auto bottleneck = conv1->forward(norm1->forward(concatenated).relu_());
  return conv2->forward(norm2->forward(bottleneck).relu_());
}

DenseBlockImpl::DenseBlockImpl(int64_t count, int64_t in_features, int64_t growth_rate, int64_t bn_size) {
  for (int64_t i = 0; i < count; ++i) {
    layers.push_back(register_module("denselayer" + std::to_string(i + 1),
                                     DenseLayer(in_features + i * growth_rate, growth_rate, bn_size)));
  }
}

torch::Tensor DenseBlockImpl::forward(const torch::Tensor& x) {
  std::vector<torch::Tensor> maps{x};
  for (auto& layer : layers) maps.push_back(layer->forward(torch::cat(maps, 1)));
  return torch::cat(maps, 1);
}

TransitionImpl::TransitionImpl(int64_t in_features, int64_t out_features) {
  norm = register_module("norm", nn::BatchNorm2d(in_features));
  conv = register_module("conv", confound::conv(in_features, out_features, 1, 1, 0));
}

torch::Tensor TransitionImpl::forward(const torch::Tensor& x) {
  return torch::avg_pool2d(conv->forward(norm->forward(x).relu_()), 2, 2);
}

FeaturesImpl::FeaturesImpl(const DenseNetConfig& cfg) {
  auto add = [this](const std::string& name, auto module) {
    register_module(name, module.ptr());
    stages.emplace_back(name, nn::AnyModule(module));
  };
  add("conv0", conv(cfg.in_channels, cfg.init_features, 7, 2, 3));
  add("norm0", nn::BatchNorm2d(cfg.init_features));
  add("relu0", nn::ReLU(nn::ReLUOptions().inplace(true)));
  add("pool0", nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1)));
  int64_t features = cfg.init_features;
  const auto blocks = cfg.block_config.size();
  for (size_t i = 0; i < blocks; ++i) {
    const auto index = std::to_string(i + 1);
    add("denseblock" + index, DenseBlock(cfg.block_config[i], features, cfg.growth_rate, cfg.bn_size));
    features += cfg.block_config[i] * cfg.growth_rate;
    if (i + 1 < blocks) {
      add("transition" + index, Transition(features, features / 2));  // compression 0.5
      features /= 2;
    }
  }
  add("norm5", nn::BatchNorm2d(features));
  out_features = features;
}

DenseNetImpl::DenseNetImpl(const DenseNetConfig& cfg) : config(cfg) {
  features = register_module("features", Features(cfg));
  classifier = register_module("classifier", nn::Linear(features->out_features, 1));
  reset_like_torchvision();
}

void DenseNetImpl::reset_like_torchvision() {
  torch::NoGradGuard no_grad;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* c = module->as<nn::Conv2d>()) {
      nn::init::kaiming_normal_(c->weight);  // fan_in, gain sqrt(2), as torch.nn.init.kaiming_normal_
    } else if (auto* bn = module->as<nn::BatchNorm2d>()) {
      nn::init::ones_(bn->weight);
      nn::init::zeros_(bn->bias);
    } else if (auto* linear = module->as<nn::Linear>()) {
      nn::init::zeros_(linear->bias);  // weight keeps Linear's default (kaiming uniform), as torchvision
    }
  }
}

torch::Tensor DenseNetImpl::forward(const torch::Tensor& input, const std::string& layer, torch::Tensor* captured) {
  // Capturing, only d logit / d captured is wanted: the layers before it run without autograd, and the
  // graph starts at the captured output as a leaf. The rest runs on a copy, so in-place ReLUs leave it intact.
  std::optional<torch::NoGradGuard> before_capture;
  if (captured != nullptr) before_capture.emplace();
  auto capture = [&](const torch::Tensor& out) {
    before_capture.reset();
    *captured = out.detach().requires_grad_(true);
    return captured->clone();
  };
  torch::Tensor x = input;
  for (auto& [name, stage] : features->stages) {
    x = stage.forward(x);
    if (captured != nullptr && layer == "features." + name) x = capture(x);
  }
  x = torch::relu(x);
  if (captured != nullptr && layer == "features") x = capture(x);
  x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
  return classifier->forward(x);
}

std::vector<std::string> DenseNetImpl::layer_names() const {
  std::vector<std::string> names{"features"};
  for (const auto& stage : features->stages) names.push_back("features." + stage.first);
  return names;
}

}  // namespace confound
