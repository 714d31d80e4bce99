#include "scripted.h"

#include <torch/cuda.h>

#include <stdexcept>

namespace confound {

namespace {

torch::Device script_device(const std::string& device) {
  if (device == "cpu") return torch::kCPU;
  if (device == "cuda") {
    if (!torch::cuda::is_available()) {
      throw std::runtime_error("device \"cuda\" requested, but this libtorch has no CUDA support or no GPU is visible");
    }
    return torch::kCUDA;
  }
  throw std::invalid_argument("unknown device \"" + device + "\" (expected cpu or cuda)");
}

torch::Tensor first_tensor(const c10::IValue& v) {
  if (v.isTensor()) return v.toTensor();
  if (v.isTuple()) {
    for (const auto& e : v.toTupleRef().elements()) if (e.isTensor()) return e.toTensor();
  }
  if (v.isList()) {
    for (const auto& e : v.toListRef()) if (e.isTensor()) return e.toTensor();
  }
  if (v.isGenericDict()) {
    for (const auto& e : v.toGenericDict()) if (e.value().isTensor()) return e.value().toTensor();
  }
  throw std::runtime_error("the model returned no tensor (got " + v.tagKind() + ")");
}

torch::Tensor host(const torch::Tensor& t) {
  return t.detach().to(torch::kCPU, torch::kFloat32, false, true).contiguous();
}

}  // namespace

ScriptedModel::ScriptedModel(const std::string& path, const std::string& device)
    : module_(torch::jit::load(path, script_device(device))), device_(script_device(device)) {
  module_.eval();
}

torch::Tensor ScriptedModel::run(const torch::Tensor& images) {
  auto out = first_tensor(module_.forward({images}));
  if (out.dim() == 0 || out.size(0) != images.size(0)) {
    throw std::runtime_error("the model's output has shape " + c10::str(out.sizes()) + ", not one row per image");
  }
  return out.reshape({out.size(0), -1});
}

torch::Tensor ScriptedModel::forward(const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  return host(run(images.to(device_)));
}

ScriptGradient ScriptedModel::gradient(const torch::Tensor& images, int64_t index) {
  auto x = images.to(device_).detach().requires_grad_(true);
  auto out = run(x);
  if (index < 0 || index >= out.size(1)) {
    throw std::out_of_range("output index " + std::to_string(index) + " but the model gives " +
                            std::to_string(out.size(1)) + " values per image");
  }
  // Images are independent in eval mode, so one backward of the sum gives every image's own gradient.
  out.select(1, index).sum().backward();
  return {host(out), host(x.grad())};
}

}  // namespace confound
