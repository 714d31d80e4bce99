#include "engine.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>

namespace confound {

namespace {

const std::string kStep = "optimizer.step";
const std::string kExpAvg = "optimizer.exp_avg.";
const std::string kExpAvgSq = "optimizer.exp_avg_sq.";

// torch::manual_seed is process-wide: hold it while one model draws its initial weights.
std::mutex seed_mutex;

// "cpu", "cuda" or "cuda:N" (the TypeScript side resolves "auto" and checks the spelling).
torch::Device parse_device(const std::string& device) {
  if (device == "cpu") return torch::kCPU;
  if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw std::runtime_error("device \"" + device +
                               "\" requested, but this libtorch has no CUDA support or no GPU is visible");
    }
    torch::Device parsed(device);
    const auto count = static_cast<int64_t>(torch::cuda::device_count());
    if (parsed.has_index() && parsed.index() >= count) {
      throw std::invalid_argument("device \"" + device + "\" requested, but " + std::to_string(count) +
                                  " GPU(s) are visible");
    }
    return parsed;
  }
  throw std::invalid_argument("unknown device \"" + device + "\" (expected cpu, cuda or cuda:N)");
}

// `t` laid out in `format`, as Tensor.to(memory_format=...) in Python: a copy unless its strides already say so.
// (contiguous(format) would keep NCHW strides where they are ambiguous, one input channel or a 1x1 kernel, and
// oneDNN would then treat the tensor as NCHW and reorder it in every convolution.)
torch::Tensor laid_out(const torch::Tensor& t, torch::MemoryFormat format) {
  return t.to(t.options(), /*non_blocking=*/false, /*copy=*/false, format);
}

// A snapshot on the CPU, independent of the live tensor.
torch::Tensor to_host(const torch::Tensor& t) {
  return t.detach().to(torch::kCPU, t.scalar_type(), /*non_blocking=*/false, /*copy=*/true).contiguous();
}

// Adam's per-parameter state is keyed by the parameter's TensorImpl: as a string in libtorch 1.x, as the
// pointer itself in 2.x. Both spellings, so the addon builds against either.
template <typename Key>
Key state_key(const torch::Tensor& p) {
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream key;
    key << p.unsafeGetTensorImpl();
    return key.str();
  } else {
    return p.unsafeGetTensorImpl();
  }
}
using StateKey = std::decay_t<decltype(std::declval<torch::optim::Optimizer&>().state())>::key_type;
StateKey adam_key(const torch::Tensor& p) { return state_key<StateKey>(p); }

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string shape_text(c10::IntArrayRef sizes) {
  std::string out = "[";
  for (size_t i = 0; i < sizes.size(); ++i) out += (i ? ", " : "") + std::to_string(sizes[i]);
  return out + "]";
}

void check_like(const std::string& name, const torch::Tensor& given, const torch::Tensor& expected) {
  if (given.sizes() != expected.sizes()) {
    throw std::invalid_argument("state tensor \"" + name + "\" has shape " + shape_text(given.sizes()) +
                                " but the model expects " + shape_text(expected.sizes()));
  }
  if (given.scalar_type() != expected.scalar_type()) {
    throw std::invalid_argument("state tensor \"" + name + "\" has dtype " +
                                std::string(c10::toString(given.scalar_type())) + " but the model expects " +
                                c10::toString(expected.scalar_type()));
  }
}

// Autocast to bfloat16 on the model's device for one forward pass (autocast state is per thread).
class Bf16Autocast {
 public:
  explicit Bf16Autocast(const torch::Device& device) : cuda_(device.is_cuda()) {
    was_on_ = cuda_ ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
    was_dtype_ = cuda_ ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
    if (cuda_) {
      at::autocast::set_enabled(true);
      at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    } else {
      at::autocast::set_cpu_enabled(true);
      at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    }
    at::autocast::increment_nesting();
  }
  ~Bf16Autocast() {
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    if (cuda_) {
      at::autocast::set_enabled(was_on_);
      at::autocast::set_autocast_gpu_dtype(was_dtype_);
    } else {
      at::autocast::set_cpu_enabled(was_on_);
      at::autocast::set_autocast_cpu_dtype(was_dtype_);
    }
  }

 private:
  bool cuda_;
  bool was_on_;
  at::ScalarType was_dtype_;
};

}  // namespace

Engine::Engine(const std::string& arch, int64_t in_channels, uint64_t seed, const std::string& device,
               const std::string& precision, bool channels_last)
    : device_(parse_device(device)) {
  if (precision != "fp32" && precision != "bf16") {
    throw std::invalid_argument("unknown precision \"" + precision + "\" (expected fp32 or bf16)");
  }
  bf16_ = precision == "bf16";
  const auto config = config_for_arch(arch, in_channels);
  {
    std::lock_guard<std::mutex> lock(seed_mutex);
    torch::manual_seed(seed);
    net_ = DenseNet(config);
  }
  net_->to(device_);
  if (channels_last) {
    memory_format_ = torch::MemoryFormat::ChannelsLast;
    torch::NoGradGuard no_grad;
    for (auto& p : net_->parameters()) {
      if (p.dim() == 4) p.set_data(laid_out(p.data(), memory_format_));
    }
  }
  optimizer_ = std::make_unique<torch::optim::Adam>(
      net_->parameters(), torch::optim::AdamOptions(1e-4).betas(std::make_tuple(0.9, 0.999)));
}

// Logits [N, 1] as float32; with bf16, the network runs under autocast and `captured` is float32 too.
torch::Tensor Engine::forward(const torch::Tensor& images, const std::string& layer, torch::Tensor* captured) {
  const auto on_device = laid_out(images.to(device_), memory_format_);
  if (!bf16_) return net_->forward(on_device, layer, captured);
  Bf16Autocast autocast(device_);
  return net_->forward(on_device, layer, captured).to(torch::kFloat32);
}

torch::Tensor Engine::loss_on(const torch::Tensor& images, const torch::Tensor& targets,
                              const torch::Tensor& weights) {
  auto logits = forward(images).squeeze(1);
  return torch::binary_cross_entropy_with_logits(logits, targets.to(device_), weights.to(device_));
}

double Engine::train_step(const torch::Tensor& images, const torch::Tensor& targets, const torch::Tensor& weights) {
  net_->train();
  optimizer_->zero_grad();
  auto loss = loss_on(images, targets, weights);
  loss.backward();
  if (gradient_hook) {
    std::vector<torch::Tensor> grads;
    for (auto& p : net_->parameters()) grads.push_back(p.grad());
    gradient_hook(grads);
  }
  optimizer_->step();
  return loss.item<double>();
}

LossAndGradients Engine::loss_and_gradients(const torch::Tensor& images, const torch::Tensor& targets,
                                            const torch::Tensor& weights) {
  // Train mode updates BN running statistics: put them back afterwards, also when the forward pass throws.
  struct RestoreBuffers {
    std::vector<std::pair<torch::Tensor, torch::Tensor>> saved;  // live, copy
    ~RestoreBuffers() {
      torch::NoGradGuard no_grad;
      for (auto& [live, copy] : saved) live.copy_(copy);
    }
  } restore;
  for (auto& buffer : net_->buffers()) restore.saved.emplace_back(buffer, buffer.clone());
  net_->train();
  auto loss = loss_on(images, targets, weights);
  auto named = net_->named_parameters();
  std::vector<torch::Tensor> params;
  for (auto& p : named) params.push_back(p.value());
  auto grads = torch::autograd::grad({loss}, params);
  LossAndGradients out{loss.item<double>(), {}};
  for (size_t i = 0; i < grads.size(); ++i) out.gradients.push_back({named[i].key(), to_host(grads[i])});
  return out;
}

torch::Tensor Engine::predict(const torch::Tensor& images) {
  c10::InferenceMode inference;
  net_->eval();
  return to_host(torch::sigmoid(forward(images).squeeze(1)));
}

CamData Engine::cam_data(const torch::Tensor& images, const std::string& layer) {
  torch::AutoGradMode grad_mode(true);
  net_->eval();
  torch::Tensor captured;
  auto logits = forward(images, layer, &captured).squeeze(1);
  if (!captured.defined()) throw std::invalid_argument("unknown layer \"" + layer + "\"");
  // In eval mode the images are independent, so d(sum of logits)/dA_i = d logit_i / dA_i.
  auto grads = torch::autograd::grad({logits.sum()}, {captured})[0];
  return {to_host(captured).to(torch::kFloat32), to_host(grads).to(torch::kFloat32), to_host(logits)};
}

void Engine::set_learning_rate(double lr) {
  for (auto& group : optimizer_->param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
  }
}

std::vector<NamedTensor> Engine::get_state() {
  torch::NoGradGuard no_grad;
  std::vector<NamedTensor> out;
  for (auto& p : net_->named_parameters()) out.push_back({p.key(), to_host(p.value())});
  for (auto& b : net_->named_buffers()) out.push_back({b.key(), to_host(b.value())});
  const auto& state = optimizer_->state();
  int64_t step = -1;
  for (auto& p : net_->named_parameters()) {
    auto it = state.find(adam_key(p.value()));
    if (it == state.end()) continue;
    const auto& s = static_cast<const torch::optim::AdamParamState&>(*it->second);
    step = s.step();
    out.push_back({kExpAvg + p.key(), to_host(s.exp_avg())});
    out.push_back({kExpAvgSq + p.key(), to_host(s.exp_avg_sq())});
  }
  if (step >= 0) out.push_back({kStep, torch::tensor(step, torch::kInt64).reshape({})});
  return out;
}

void Engine::set_state(const std::vector<NamedTensor>& tensors, bool replace_optimizer) {
  torch::NoGradGuard no_grad;
  auto params = net_->named_parameters();
  auto buffers = net_->named_buffers();
  // Validate everything first, so a bad file leaves the model as it was.
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;  // live, new value
  std::unordered_map<std::string, torch::Tensor> exp_avg, exp_avg_sq;
  int64_t step = -1;
  for (const auto& [name, t] : tensors) {
    if (name == kStep) {
      if (t.numel() != 1 || t.scalar_type() != torch::kInt64) {
        throw std::invalid_argument("state tensor \"" + name + "\" must be one int64");
      }
      step = t.item<int64_t>();
    } else if (starts_with(name, kExpAvg) || starts_with(name, kExpAvgSq)) {
      const bool sq = starts_with(name, kExpAvgSq);
      const auto param_name = name.substr((sq ? kExpAvgSq : kExpAvg).size());
      const auto* p = params.find(param_name);
      if (p == nullptr) throw std::invalid_argument("state tensor \"" + name + "\" names no parameter");
      check_like(name, t, *p);
      (sq ? exp_avg_sq : exp_avg)[param_name] = t;
    } else if (const auto* p = params.find(name)) {
      check_like(name, t, *p);
      copies.emplace_back(*p, t);
    } else if (const auto* b = buffers.find(name)) {
      check_like(name, t, *b);
      copies.emplace_back(*b, t);
    } else {
      throw std::invalid_argument("state tensor \"" + name + "\" is not part of this model");
    }
  }
  const bool has_optimizer = step >= 0 || !exp_avg.empty() || !exp_avg_sq.empty();
  if (has_optimizer) {
    if (step < 1) throw std::invalid_argument("optimizer state without a positive \"" + kStep + "\"");
    for (auto& p : params) {
      if (!exp_avg.count(p.key()) || !exp_avg_sq.count(p.key())) {
        throw std::invalid_argument("optimizer state lacks the moments of parameter \"" + p.key() + "\"");
      }
    }
  }
  for (auto& [live, value] : copies) live.copy_(value);
  auto& state = optimizer_->state();
  if (replace_optimizer) state.clear();
  if (has_optimizer) {
    for (auto& p : params) {
      auto s = std::make_unique<torch::optim::AdamParamState>();
      s->step(step);
      // Laid out as the parameter (NHWC under channels_last), as Adam's own zeros_like would be.
      s->exp_avg(torch::empty_like(p.value()).copy_(exp_avg[p.key()]));
      s->exp_avg_sq(torch::empty_like(p.value()).copy_(exp_avg_sq[p.key()]));
      state[adam_key(p.value())] = std::move(s);
    }
  }
}

void set_threads(int threads) { at::set_num_threads(threads); }
int get_threads() { return at::get_num_threads(); }
bool cuda_available() { return torch::cuda::is_available(); }
int64_t cuda_device_count() { return static_cast<int64_t>(torch::cuda::device_count()); }
std::string libtorch_version() { return TORCH_VERSION; }

}  // namespace confound
