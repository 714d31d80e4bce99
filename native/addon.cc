// The N-API binding: argument unpacking, typed-array copies and promise-returning workers around
// confound::Engine. Inputs are validated in TypeScript (src/engine/); the checks here only keep a
// wrong call from crashing the process.
#include <napi.h>

#include <cstring>
#include <functional>
#include <memory>

#include "cpu_allocator.h"
#include "dist.h"
#include "engine.h"
#include "scripted.h"
#include "runtime.h"

namespace {

using confound::Engine;
using confound::NamedTensor;

struct Handle {
  std::shared_ptr<Engine> engine;
};

// Runs `run` on the compute thread (see runtime.h) holding the model's lock, then resolves with `done` on the
// JS thread. A libuv worker waits meanwhile. libtorch exceptions become rejections carrying their message.
class Worker : public Napi::AsyncWorker {
 public:
  Worker(Napi::Env env, std::shared_ptr<Engine> engine, std::function<void()> run,
         std::function<Napi::Value(Napi::Env)> done)
      : Napi::AsyncWorker(env, "confound_engine"),
        deferred_(Napi::Promise::Deferred::New(env)),
        engine_(std::move(engine)),
        run_(std::move(run)),
        done_(std::move(done)) {}

  Napi::Promise Start() {
    auto promise = deferred_.Promise();
    Queue();
    return promise;
  }

 protected:
  void Execute() override {
    try {
      confound::run_on_compute_thread([this] {
        if (engine_) {
          std::lock_guard<std::mutex> lock(engine_->mutex);
          run_();
        } else {
          run_();
        }
      });
    } catch (const c10::Error& e) {
      SetError(e.what_without_backtrace());
    } catch (const std::exception& e) {
      SetError(e.what());
    } catch (...) {
      SetError("unknown native error");
    }
  }

  void OnOK() override {
    try {
      deferred_.Resolve(done_(Env()));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Engine> engine_;
  std::function<void()> run_;
  std::function<Napi::Value(Napi::Env)> done_;
};

Napi::Promise start(Napi::Env env, std::shared_ptr<Engine> engine, std::function<void()> run,
                    std::function<Napi::Value(Napi::Env)> done) {
  return (new Worker(env, std::move(engine), std::move(run), std::move(done)))->Start();
}

[[noreturn]] void type_error(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, message);
}

std::shared_ptr<Engine> engine_of(const Napi::Value& value) {
  if (!value.IsExternal()) type_error(value.Env(), "expected a model handle");
  auto engine = value.As<Napi::External<Handle>>().Data()->engine;
  if (!engine) throw Napi::Error::New(value.Env(), "the model has been disposed");
  return engine;
}

int64_t int_arg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) type_error(info.Env(), std::string("expected a number for ") + name);
  return info[i].As<Napi::Number>().Int64Value();
}

// Copies a Float32Array into a new tensor of the given shape (the JS buffer may change once we return).
torch::Tensor float_tensor(const Napi::Value& value, std::vector<int64_t> shape, const char* name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    type_error(value.Env(), std::string("expected a Float32Array for ") + name);
  }
  auto array = value.As<Napi::Float32Array>();
  auto t = torch::empty(shape, torch::kFloat32);
  if (static_cast<int64_t>(array.ElementLength()) != t.numel()) {
    type_error(value.Env(), std::string(name) + " has " + std::to_string(array.ElementLength()) +
                                " values, expected " + std::to_string(t.numel()));
  }
  std::memcpy(t.data_ptr<float>(), array.Data(), array.ByteLength());
  return t;
}

// images (Float32Array NCHW), n, height, width at info[first..first+3].
torch::Tensor images_arg(const Napi::CallbackInfo& info, size_t first, const Engine& engine) {
  const auto n = int_arg(info, first + 1, "n");
  const auto h = int_arg(info, first + 2, "height");
  const auto w = int_arg(info, first + 3, "width");
  if (n < 1 || h < 1 || w < 1) type_error(info.Env(), "n, height and width must be positive");
  return float_tensor(info[first], {n, engine.channels(), h, w}, "images");
}

Napi::Value to_js(Napi::Env env, const torch::Tensor& t) {
  const auto n = static_cast<size_t>(t.numel());
  if (t.scalar_type() == torch::kInt64) {
    auto out = Napi::TypedArrayOf<int64_t>::New(env, n, napi_bigint64_array);
    std::memcpy(out.Data(), t.data_ptr<int64_t>(), n * sizeof(int64_t));
    return out;
  }
  auto out = Napi::Float32Array::New(env, n);
  std::memcpy(out.Data(), t.data_ptr<float>(), n * sizeof(float));
  return out;
}

Napi::Array shape_js(Napi::Env env, const torch::Tensor& t) {
  auto shape = Napi::Array::New(env, t.dim());
  for (int64_t i = 0; i < t.dim(); ++i) shape.Set(static_cast<uint32_t>(i), Napi::Number::New(env, t.size(i)));
  return shape;
}

Napi::Array named_js(Napi::Env env, const std::vector<NamedTensor>& tensors) {
  auto out = Napi::Array::New(env, tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    auto entry = Napi::Object::New(env);
    entry.Set("name", tensors[i].name);
    entry.Set("dtype", tensors[i].tensor.scalar_type() == torch::kInt64 ? "int64" : "float32");
    entry.Set("shape", shape_js(env, tensors[i].tensor));
    entry.Set("data", to_js(env, tensors[i].tensor));
    out.Set(static_cast<uint32_t>(i), entry);
  }
  return out;
}

// [{name, shape, data: Float32Array | BigInt64Array}] -> tensors (copied).
std::vector<NamedTensor> named_from_js(const Napi::Value& value) {
  auto env = value.Env();
  if (!value.IsArray()) type_error(env, "expected an array of named tensors");
  auto array = value.As<Napi::Array>();
  std::vector<NamedTensor> out;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    auto entry = array.Get(i).As<Napi::Object>();
    auto name = entry.Get("name").As<Napi::String>().Utf8Value();
    auto shape_array = entry.Get("shape").As<Napi::Array>();
    std::vector<int64_t> shape;
    for (uint32_t d = 0; d < shape_array.Length(); ++d) {
      shape.push_back(shape_array.Get(d).As<Napi::Number>().Int64Value());
    }
    auto data = entry.Get("data");
    if (data.IsTypedArray() && data.As<Napi::TypedArray>().TypedArrayType() == napi_bigint64_array) {
      auto typed = data.As<Napi::TypedArrayOf<int64_t>>();
      auto t = torch::empty(shape, torch::kInt64);
      if (static_cast<int64_t>(typed.ElementLength()) != t.numel()) type_error(env, "tensor " + name + ": wrong length");
      std::memcpy(t.data_ptr<int64_t>(), typed.Data(), typed.ByteLength());
      out.push_back({name, t});
    } else {
      out.push_back({name, float_tensor(data, shape, name.c_str())});
    }
  }
  return out;
}

Napi::Value Create(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  if (!info[0].IsString() || !info[3].IsString() || !info[4].IsString()) {
    type_error(env, "create(arch, channels, seed, device, precision, channelsLast)");
  }
  auto arch = info[0].As<Napi::String>().Utf8Value();
  auto channels = int_arg(info, 1, "channels");
  auto seed = static_cast<uint64_t>(int_arg(info, 2, "seed"));
  auto device = info[3].As<Napi::String>().Utf8Value();
  auto precision = info[4].As<Napi::String>().Utf8Value();
  const bool channels_last = info[5].IsBoolean() && info[5].As<Napi::Boolean>().Value();
  auto result = std::make_shared<std::shared_ptr<Engine>>();
  return start(
      env, nullptr, [=] { *result = std::make_shared<Engine>(arch, channels, seed, device, precision, channels_last); },
      [result](Napi::Env env) -> Napi::Value {
        return Napi::External<Handle>::New(env, new Handle{*result}, [](Napi::Env, Handle* h) { delete h; });
      });
}

// (handle, images, n, height, width, targets, weights)
struct TrainArgs {
  torch::Tensor images, targets, weights;
};
TrainArgs train_args(const Napi::CallbackInfo& info, const Engine& engine) {
  auto images = images_arg(info, 1, engine);
  const auto n = images.size(0);
  return {images, float_tensor(info[5], {n}, "targets"), float_tensor(info[6], {n}, "weights")};
}

Napi::Value TrainStep(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  auto args = train_args(info, *engine);
  auto loss = std::make_shared<double>(0);
  return start(
      info.Env(), engine, [=] { *loss = engine->train_step(args.images, args.targets, args.weights); },
      [loss](Napi::Env env) -> Napi::Value { return Napi::Number::New(env, *loss); });
}

Napi::Value LossAndGradients(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  auto args = train_args(info, *engine);
  auto out = std::make_shared<confound::LossAndGradients>();
  return start(
      info.Env(), engine, [=] { *out = engine->loss_and_gradients(args.images, args.targets, args.weights); },
      [out](Napi::Env env) -> Napi::Value {
        auto obj = Napi::Object::New(env);
        obj.Set("loss", out->loss);
        obj.Set("gradients", named_js(env, out->gradients));
        return obj;
      });
}

Napi::Value Predict(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  auto images = images_arg(info, 1, *engine);
  auto out = std::make_shared<torch::Tensor>();
  return start(
      info.Env(), engine, [=] { *out = engine->predict(images); },
      [out](Napi::Env env) { return to_js(env, *out); });
}

// (handle, images, n, height, width, layer)
Napi::Value CamData(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  auto images = images_arg(info, 1, *engine);
  if (!info[5].IsString()) type_error(info.Env(), "expected a layer name");
  auto layer = info[5].As<Napi::String>().Utf8Value();
  auto out = std::make_shared<confound::CamData>();
  return start(
      info.Env(), engine, [=] { *out = engine->cam_data(images, layer); },
      [out](Napi::Env env) -> Napi::Value {
        auto obj = Napi::Object::New(env);
        obj.Set("shape", shape_js(env, out->activations));
        obj.Set("activations", to_js(env, out->activations));
        obj.Set("gradients", to_js(env, out->gradients));
        obj.Set("logits", to_js(env, out->logits));
        return obj;
      });
}

Napi::Value SetLearningRate(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  if (!info[1].IsNumber()) type_error(info.Env(), "expected a number for the learning rate");
  const double lr = info[1].As<Napi::Number>().DoubleValue();
  return start(
      info.Env(), engine, [=] { engine->set_learning_rate(lr); },
      [](Napi::Env env) { return env.Undefined(); });
}

Napi::Value GetState(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  auto out = std::make_shared<std::vector<NamedTensor>>();
  return start(
      info.Env(), engine, [=] { *out = engine->get_state(); },
      [out](Napi::Env env) -> Napi::Value { return named_js(env, *out); });
}

// (handle, tensors, replaceOptimizer)
Napi::Value SetState(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  auto tensors = named_from_js(info[1]);
  const bool replace_optimizer = info[2].ToBoolean().Value();
  return start(
      info.Env(), engine, [=] { engine->set_state(tensors, replace_optimizer); },
      [](Napi::Env env) { return env.Undefined(); });
}

Napi::Value LayerNames(const Napi::CallbackInfo& info) {
  auto names = engine_of(info[0])->layer_names();
  auto out = Napi::Array::New(info.Env(), names.size());
  for (size_t i = 0; i < names.size(); ++i) out.Set(static_cast<uint32_t>(i), names[i]);
  return out;
}

Napi::Value Device(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), engine_of(info[0])->device());
}

// Drops this handle's reference; a call still running keeps the model alive until it finishes.
Napi::Value Dispose(const Napi::CallbackInfo& info) {
  if (!info[0].IsExternal()) type_error(info.Env(), "expected a model handle");
  info[0].As<Napi::External<Handle>>().Data()->engine.reset();
  return info.Env().Undefined();
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const auto threads = int_arg(info, 0, "threads");
  if (threads < 1) type_error(info.Env(), "threads must be at least 1");
  confound::set_threads_everywhere(static_cast<int>(threads));
  return info.Env().Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), confound::get_threads()); }

Napi::Value CudaAvailable(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), confound::cuda_available());
}

Napi::Value CudaDeviceCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(confound::cuda_device_count()));
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), confound::libtorch_version());
}

// ---- TorchScript models (a user's model, audited): load, forward, input gradient, a layer's output and gradient.

struct ScriptHandle {
  std::shared_ptr<confound::ScriptedModel> model;
};

std::shared_ptr<confound::ScriptedModel> script_of(const Napi::Value& value) {
  if (!value.IsExternal()) type_error(value.Env(), "expected a TorchScript model handle");
  auto model = value.As<Napi::External<ScriptHandle>>().Data()->model;
  if (!model) throw Napi::Error::New(value.Env(), "the TorchScript model has been disposed");
  return model;
}

// images (Float32Array NCHW), n, channels, height, width at info[first..first+4].
torch::Tensor script_images(const Napi::CallbackInfo& info, size_t first) {
  const auto n = int_arg(info, first + 1, "n");
  const auto c = int_arg(info, first + 2, "channels");
  const auto h = int_arg(info, first + 3, "height");
  const auto w = int_arg(info, first + 4, "width");
  if (n < 1 || c < 1 || h < 1 || w < 1) type_error(info.Env(), "n, channels, height and width must be positive");
  return float_tensor(info[first], {n, c, h, w}, "images");
}

// (path, device) -> handle
Napi::Value ScriptLoad(const Napi::CallbackInfo& info) {
  if (!info[0].IsString() || !info[1].IsString()) type_error(info.Env(), "expected (path, device)");
  const auto path = info[0].As<Napi::String>().Utf8Value();
  const auto device = info[1].As<Napi::String>().Utf8Value();
  auto result = std::make_shared<std::shared_ptr<confound::ScriptedModel>>();
  return start(
      info.Env(), nullptr, [=] { *result = std::make_shared<confound::ScriptedModel>(path, device); },
      [result](Napi::Env env) -> Napi::Value {
        return Napi::External<ScriptHandle>::New(env, new ScriptHandle{*result}, [](Napi::Env, ScriptHandle* h) { delete h; });
      });
}

// (handle, images, n, c, h, w) -> { shape, data }
Napi::Value ScriptForward(const Napi::CallbackInfo& info) {
  auto model = script_of(info[0]);
  auto images = script_images(info, 1);
  auto out = std::make_shared<torch::Tensor>();
  return start(
      info.Env(), nullptr, [=] { std::lock_guard<std::mutex> lock(model->mutex); *out = model->forward(images); },
      [out](Napi::Env env) -> Napi::Value {
        auto obj = Napi::Object::New(env);
        obj.Set("shape", shape_js(env, *out));
        obj.Set("data", to_js(env, *out));
        return obj;
      });
}

// (handle, images, n, c, h, w, index) -> { shape, outputs, gradients }
Napi::Value ScriptGradient(const Napi::CallbackInfo& info) {
  auto model = script_of(info[0]);
  auto images = script_images(info, 1);
  const auto index = int_arg(info, 6, "index");
  auto out = std::make_shared<confound::ScriptGradient>();
  return start(
      info.Env(), nullptr,
      [=] { std::lock_guard<std::mutex> lock(model->mutex); *out = model->gradient(images, index); },
      [out](Napi::Env env) -> Napi::Value {
        auto obj = Napi::Object::New(env);
        obj.Set("shape", shape_js(env, out->outputs));
        obj.Set("outputs", to_js(env, out->outputs));
        obj.Set("gradients", to_js(env, out->gradients));
        return obj;
      });
}

// (handle, images, n, c, h, w, index, layer) -> { shape, outputs, activationShape, activations, gradients }
Napi::Value ScriptCapture(const Napi::CallbackInfo& info) {
  auto model = script_of(info[0]);
  auto images = script_images(info, 1);
  const auto index = int_arg(info, 6, "index");
  if (!info[7].IsString()) type_error(info.Env(), "expected a layer name");
  const auto layer = info[7].As<Napi::String>().Utf8Value();
  auto out = std::make_shared<confound::ScriptCapture>();
  return start(
      info.Env(), nullptr,
      [=] { std::lock_guard<std::mutex> lock(model->mutex); *out = model->capture(images, index, layer); },
      [out](Napi::Env env) -> Napi::Value {
        auto obj = Napi::Object::New(env);
        obj.Set("shape", shape_js(env, out->outputs));
        obj.Set("outputs", to_js(env, out->outputs));
        obj.Set("activationShape", shape_js(env, out->activations));
        obj.Set("activations", to_js(env, out->activations));
        obj.Set("gradients", to_js(env, out->gradients));
        return obj;
      });
}

// (handle) -> dotted names of the model's submodules
Napi::Value ScriptLayers(const Napi::CallbackInfo& info) {
  auto model = script_of(info[0]);
  std::lock_guard<std::mutex> lock(model->mutex);
  const auto names = model->layers();
  auto arr = Napi::Array::New(info.Env(), names.size());
  for (size_t i = 0; i < names.size(); i++) arr.Set(static_cast<uint32_t>(i), Napi::String::New(info.Env(), names[i]));
  return arr;
}

Napi::Value ScriptDispose(const Napi::CallbackInfo& info) {
  if (!info[0].IsExternal()) type_error(info.Env(), "expected a TorchScript model handle");
  info[0].As<Napi::External<ScriptHandle>>().Data()->model.reset();
  return info.Env().Undefined();
}

// Data parallel (dist.h). distInit(host, port, rank, worldSize, timeoutMs, cuda) -> Promise<handle>: waits for
// every rank to join. distAttach(model, handle | null): train steps average gradients over the group.
struct DistHandle {
  std::shared_ptr<confound::Dist> dist;
};

std::shared_ptr<confound::Dist> dist_of(const Napi::Value& value) {
  if (!value.IsExternal()) type_error(value.Env(), "expected a process-group handle");
  auto dist = value.As<Napi::External<DistHandle>>().Data()->dist;
  if (!dist) throw Napi::Error::New(value.Env(), "the process group has been destroyed");
  return dist;
}

Napi::Value DistInit(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) type_error(info.Env(), "distInit(host, port, rank, worldSize, timeoutMs, cuda)");
  confound::DistOptions options;
  options.host = info[0].As<Napi::String>().Utf8Value();
  options.port = static_cast<int>(int_arg(info, 1, "port"));
  options.rank = static_cast<int>(int_arg(info, 2, "rank"));
  options.world_size = static_cast<int>(int_arg(info, 3, "worldSize"));
  options.timeout = std::chrono::milliseconds(int_arg(info, 4, "timeoutMs"));
  options.cuda = info[5].ToBoolean().Value();
  auto result = std::make_shared<std::shared_ptr<confound::Dist>>();
  return start(
      info.Env(), nullptr, [=] { *result = std::make_shared<confound::Dist>(options); },
      [result](Napi::Env env) -> Napi::Value {
        return Napi::External<DistHandle>::New(env, new DistHandle{*result}, [](Napi::Env, DistHandle* h) { delete h; });
      });
}

Napi::Value DistAttach(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  std::shared_ptr<confound::Dist> dist = info[1].IsNull() ? nullptr : dist_of(info[1]);
  return start(
      info.Env(), engine,
      [=] {
        if (dist) {
          engine->gradient_hook = [dist](const std::vector<torch::Tensor>& grads) { dist->allreduce_mean(grads); };
        } else {
          engine->gradient_hook = nullptr;
        }
      },
      [](Napi::Env env) { return env.Undefined(); });
}

// Averages the model's float buffers (BatchNorm running statistics, which each rank updates from its own
// micro-batches) over the group, so every rank holds the same model.
Napi::Value DistAverageBuffers(const Napi::CallbackInfo& info) {
  auto engine = engine_of(info[0]);
  auto dist = dist_of(info[1]);
  return start(
      info.Env(), engine,
      [=] {
        const auto params = engine->get_state();
        std::vector<NamedTensor> buffers;
        for (const auto& t : params) {
          const auto& n = t.name;
          const bool running = n.size() > 13 && (n.compare(n.size() - 13, 13, ".running_mean") == 0 ||
                                                 n.compare(n.size() - 12, 12, ".running_var") == 0);
          if (running) buffers.push_back(t);
        }
        std::vector<torch::Tensor> tensors;
        for (auto& b : buffers) tensors.push_back(b.tensor);
        dist->allreduce_mean(tensors);
        engine->set_state(buffers, false);
      },
      [](Napi::Env env) { return env.Undefined(); });
}

Napi::Value DistBarrier(const Napi::CallbackInfo& info) {
  auto dist = dist_of(info[0]);
  return start(info.Env(), nullptr, [=] { dist->barrier(); }, [](Napi::Env env) { return env.Undefined(); });
}

Napi::Value DistBackend(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), info.Length() > 0 ? dist_of(info[0])->backend() : confound::dist_backends());
}

// Drops this handle's reference; the group closes when no model's train step holds it any more.
Napi::Value DistDestroy(const Napi::CallbackInfo& info) {
  if (!info[0].IsExternal()) type_error(info.Env(), "expected a process-group handle");
  info[0].As<Napi::External<DistHandle>>().Data()->dist.reset();
  return info.Env().Undefined();
}

Napi::Value SetDeterministic(const Napi::CallbackInfo& info) {
  confound::set_deterministic(info[0].ToBoolean().Value());
  return info.Env().Undefined();
}

Napi::Value CpuCapability(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), confound::cpu_capability());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  confound::install_caching_cpu_allocator(std::size_t{4} << 30);
  exports.Set("create", Napi::Function::New(env, Create));
  exports.Set("trainStep", Napi::Function::New(env, TrainStep));
  exports.Set("lossAndGradients", Napi::Function::New(env, LossAndGradients));
  exports.Set("predict", Napi::Function::New(env, Predict));
  exports.Set("camData", Napi::Function::New(env, CamData));
  exports.Set("setLearningRate", Napi::Function::New(env, SetLearningRate));
  exports.Set("getState", Napi::Function::New(env, GetState));
  exports.Set("setState", Napi::Function::New(env, SetState));
  exports.Set("layerNames", Napi::Function::New(env, LayerNames));
  exports.Set("device", Napi::Function::New(env, Device));
  exports.Set("dispose", Napi::Function::New(env, Dispose));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  exports.Set("cudaAvailable", Napi::Function::New(env, CudaAvailable));
  exports.Set("cudaDeviceCount", Napi::Function::New(env, CudaDeviceCount));
  exports.Set("version", Napi::Function::New(env, Version));
  exports.Set("scriptLoad", Napi::Function::New(env, ScriptLoad));
  exports.Set("scriptForward", Napi::Function::New(env, ScriptForward));
  exports.Set("scriptGradient", Napi::Function::New(env, ScriptGradient));
  exports.Set("scriptCapture", Napi::Function::New(env, ScriptCapture));
  exports.Set("scriptLayers", Napi::Function::New(env, ScriptLayers));
  exports.Set("scriptDispose", Napi::Function::New(env, ScriptDispose));
  exports.Set("distInit", Napi::Function::New(env, DistInit));
  exports.Set("distAttach", Napi::Function::New(env, DistAttach));
  exports.Set("distAverageBuffers", Napi::Function::New(env, DistAverageBuffers));
  exports.Set("distBarrier", Napi::Function::New(env, DistBarrier));
  exports.Set("distBackend", Napi::Function::New(env, DistBackend));
  exports.Set("distDestroy", Napi::Function::New(env, DistDestroy));
  exports.Set("setDeterministic", Napi::Function::New(env, SetDeterministic));
  exports.Set("cpuCapability", Napi::Function::New(env, CpuCapability));
  return exports;
}

}  // namespace

NODE_API_MODULE(confound_engine, Init)
