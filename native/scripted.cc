#include "scripted.h"

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/cuda.h>

#include <sstream>
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

constexpr const char* kCaptured = "_confound_captured";

// The submodule at a dotted path ("features.3").
torch::jit::Module submodule(const torch::jit::Module& root, const std::string& path) {
  torch::jit::Module m = root;
  std::stringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '.')) {
    bool found = false;
    for (const auto& child : m.named_children()) {
      if (child.name == part) {
        m = child.value;
        found = true;
        break;
      }
    }
    if (!found) throw std::invalid_argument("the model has no submodule \"" + path + "\"");
  }
  return m;
}

// A copy of the model in which submodule `layer` also stores its output in an attribute. TorchScript modules take
// no hooks, so the copy's layer gets one extra statement at the end of its forward: self._confound_captured = out.
// One forward then leaves the layer's output A in the autograd graph, and autograd::grad gives d score / d A.
// clone() gives the copy its own class types, so the loaded model is untouched.
torch::jit::Module capturing_copy(const torch::jit::Module& model, const std::string& layer) {
  auto copy = model.clone();
  auto sub = submodule(copy, layer);
  auto method = sub.find_method("forward");
  if (!method) throw std::invalid_argument("submodule \"" + layer + "\" has no forward method");
  auto graph = torch::jit::toGraphFunction(method->function()).graph();
  if (graph->outputs().size() != 1 || !graph->outputs()[0]->type()->cast<c10::TensorType>()) {
    throw std::invalid_argument("submodule \"" + layer + "\" returns " + graph->outputs()[0]->type()->str() +
                                ", not one tensor");
  }
  sub.register_attribute(kCaptured, c10::TensorType::get(), torch::empty({0}));
  auto* store = graph->create(c10::prim::SetAttr, {graph->inputs()[0], graph->outputs()[0]}, 0);
  store->s_(c10::attr::name, kCaptured);
  graph->appendNode(store);
  copy.eval();
  return copy;
}

}  // namespace

ScriptedModel::ScriptedModel(const std::string& path, const std::string& device)
    : module_(torch::jit::load(path, script_device(device))), device_(script_device(device)) {
  module_.eval();
}

torch::Tensor ScriptedModel::run(torch::jit::Module& module, const torch::Tensor& images) {
  auto out = first_tensor(module.forward({images}));
  if (out.dim() == 0 || out.size(0) != images.size(0)) {
    throw std::runtime_error("the model's output has shape " + c10::str(out.sizes()) + ", not one row per image");
  }
  return out.reshape({out.size(0), -1});
}

torch::Tensor ScriptedModel::forward(const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  return host(run(module_, images.to(device_)));
}

ScriptGradient ScriptedModel::gradient(const torch::Tensor& images, int64_t index) {
  auto x = images.to(device_).detach().requires_grad_(true);
  auto out = run(module_, x);
  if (index < 0 || index >= out.size(1)) {
    throw std::out_of_range("output index " + std::to_string(index) + " but the model gives " +
                            std::to_string(out.size(1)) + " values per image");
  }
  // Images are independent in eval mode, so one backward of the sum gives every image's own gradient.
  out.select(1, index).sum().backward();
  return {host(out), host(x.grad())};
}

ScriptCapture ScriptedModel::capture(const torch::Tensor& images, int64_t index, const std::string& layer) {
  auto found = capturing_.find(layer);
  if (found == capturing_.end()) found = capturing_.emplace(layer, capturing_copy(module_, layer)).first;
  auto& copy = found->second;
  auto sub = submodule(copy, layer);
  // The input requires grad so that the graph is recorded up to the layer even if the weights are frozen.
  auto x = images.to(device_).detach().requires_grad_(true);
  // Unoptimised: from the second call on, the optimising executor runs the copy through differentiable subgraphs
  // whose inner values are not autograd nodes, and the stored output's gradient came back all zero.
  torch::Tensor out;
  {
    torch::jit::GraphOptimizerEnabledGuard plain(false);
    out = run(copy, x);
  }
  if (index < 0 || index >= out.size(1)) {
    throw std::out_of_range("output index " + std::to_string(index) + " but the model gives " +
                            std::to_string(out.size(1)) + " values per image");
  }
  auto a = sub.attr(kCaptured).toTensor();
  sub.setattr(kCaptured, torch::empty({0}));  // the copy keeps no graph between calls
  if (a.dim() == 1 && a.numel() == 0) {
    throw std::runtime_error("submodule \"" + layer + "\" was not called by the model's forward");
  }
  if (a.dim() != 4 || a.size(0) != images.size(0)) {
    throw std::runtime_error("submodule \"" + layer + "\" gives shape " + c10::str(a.sizes()) +
                             ", not a feature map [N, C, h, w]");
  }
  if (!a.requires_grad()) throw std::runtime_error("the output does not depend on submodule \"" + layer + "\"");
  auto grads = torch::autograd::grad({out.select(1, index).sum()}, {a}, {}, false, false, true);
  auto g = grads[0].defined() ? grads[0] : torch::zeros_like(a);
  return {host(out), host(a), host(g)};
}

std::vector<std::string> ScriptedModel::layers() const {
  std::vector<std::string> names;
  for (const auto& m : module_.named_modules()) {
    if (!m.name.empty()) names.push_back(m.name);
  }
  return names;
}

}  // namespace confound
