{
  "targets": [
    {
      "target_name": "confound_engine",
      "sources": ["native/addon.cc", "native/engine.cc", "native/densenet.cc", "native/cpu_allocator.cc", "native/scripted.cc", "native/dist.cc", "native/runtime.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/libtorch.mjs include_dirs)"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "<!@(node scripts/libtorch.mjs defines)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-Wno-unused-parameter", "<!@(node scripts/libtorch.mjs cflags)"],
      "ldflags": ["<!@(node scripts/libtorch.mjs ldflags)"],
      "libraries": ["<!@(node scripts/libtorch.mjs libraries)"]
    }
  ]
}
