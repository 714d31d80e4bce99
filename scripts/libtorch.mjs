// Where libtorch is and how to compile and link against it. Used by build-addon.mjs and, through
// `node scripts/libtorch.mjs <field>`, by binding.gyp (fields: include_dirs, cflags, libraries, ldflags).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HOW_TO_GET_LIBTORCH =
  "libtorch was not found. Either install Debian's package (apt-get install libtorch-dev) or download " +
  'libtorch from https://pytorch.org (CPU or CUDA, "cxx11 ABI" build) and set LIBTORCH=/path/to/libtorch ' +
  '(the folder holding include/ and lib/), then run npm run install (or node scripts/build-addon.mjs).';

function debianLibDir() {
  let multiarch = 'x86_64-linux-gnu';
  try {
    multiarch = execFileSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).trim() || multiarch;
  } catch {
    /* keep the default */
  }
  return [`/usr/lib/${multiarch}`, '/usr/lib64', '/usr/lib'].find((d) => existsSync(join(d, 'libtorch.so')));
}

/** libtorch's C++ ABI, read from the std::string symbols its libc10 exports. */
function usesCxx11Abi(libDir) {
  const lib = readdirSync(libDir).find((f) => /^libc10\.so/.test(f));
  if (lib === undefined) throw new Error(`libtorch at ${libDir} has no libc10.so`);
  return readFileSync(join(libDir, lib)).includes('St7__cxx1112basic_string');
}

/**
 * libtorch's c10d (data-parallel training, native/dist.cc): its headers, Gloo's headers (Debian: libgloo-dev;
 * pip and pytorch.org builds ship them in include/) and, on CUDA, NCCL's (NCCL_HOME, or pip's nvidia-nccl next
 * to torch). Without Gloo's headers the addon builds without c10d and says so when asked to train in parallel.
 */
function findC10d(root, libDir, cuda, env) {
  const include = root ? join(root, 'include') : '/usr/include';
  const c10d = join(include, 'torch/csrc/distributed/c10d');
  const out = { gloo: false, nccl: false, defines: [], includeDirs: [], libraries: [] };
  if (!existsSync(join(c10d, 'ProcessGroupGloo.hpp')) || !existsSync(join(include, 'gloo/algorithm.h'))) return out;
  out.gloo = true;
  out.defines.push('USE_C10D_GLOO', 'CONFOUND_C10D');
  // Debian builds Gloo as its own library; pytorch.org's libtorch_cpu carries it inside.
  const glooDir = [libDir, '/usr/lib'].find((d) => existsSync(join(d, 'libgloo.so')));
  if (!root && glooDir) out.libraries.push(`-L${glooDir}`, '-lgloo');
  if (cuda && existsSync(join(c10d, 'ProcessGroupNCCL.hpp'))) {
    const candidates = [
      env.NCCL_HOME && join(env.NCCL_HOME, 'include'),
      include,
      root && join(root, '../nvidia/nccl/include'),
      '/usr/include',
    ].filter(Boolean);
    const ncclInclude = candidates.find((d) => existsSync(join(d, 'nccl.h')));
    if (ncclInclude) {
      const ncclLib = [join(ncclInclude, '../lib'), libDir].find(
        (d) => existsSync(d) && readdirSync(d).some((f) => /^libnccl\.so/.test(f)),
      );
      out.nccl = true;
      out.defines.push('USE_C10D_NCCL', 'CONFOUND_NCCL');
      out.includeDirs.push(resolve(ncclInclude));
      if (ncclLib) {
        const file = readdirSync(ncclLib)
          .filter((f) => /^libnccl\.so/.test(f))
          .sort()[0];
        out.libraries.push(`-L${resolve(ncclLib)}`, `-l:${file}`, `-Wl,-rpath,${resolve(ncclLib)}`);
      }
    }
  }
  return out;
}

/** Finds libtorch from $LIBTORCH or Debian's libtorch-dev; throws with HOW_TO_GET_LIBTORCH when neither exists. */
export function findLibtorch(env = process.env) {
  let root, includeDirs, libDir;
  if (env.LIBTORCH) {
    root = resolve(env.LIBTORCH);
    includeDirs = [join(root, 'include'), join(root, 'include/torch/csrc/api/include')];
    libDir = join(root, 'lib');
    const missing = [join(includeDirs[1], 'torch/torch.h'), libDir].filter((p) => !existsSync(p));
    if (missing.length > 0) {
      throw new Error(
        `LIBTORCH=${env.LIBTORCH} is not a libtorch folder (missing ${missing.join(', ')}). ` + HOW_TO_GET_LIBTORCH,
      );
    }
  } else {
    libDir = debianLibDir();
    includeDirs = ['/usr/include/torch/csrc/api/include'];
    if (libDir === undefined || !existsSync(join(includeDirs[0], 'torch/torch.h')))
      throw new Error(HOW_TO_GET_LIBTORCH);
  }
  const cuda = existsSync(join(libDir, 'libtorch_cuda.so'));
  const cxx11Abi = usesCxx11Abi(libDir);
  const dist = findC10d(root, libDir, cuda, env);
  return {
    source: root ? `LIBTORCH=${root}` : 'Debian libtorch-dev',
    libDir,
    cuda,
    cxx11Abi,
    dist,
    cflags: [`-D_GLIBCXX_USE_CXX11_ABI=${cxx11Abi ? 1 : 0}`],
    defines: dist.defines,
    includeDirs: [...includeDirs, ...dist.includeDirs],
    // --no-as-needed keeps libtorch_cuda linked although no symbol of it is used directly: loading it
    // is what registers the CUDA kernels.
    libraries: [
      `-L${libDir}`,
      '-Wl,--no-as-needed',
      '-ltorch',
      '-ltorch_cpu',
      '-lc10',
      ...(cuda ? ['-ltorch_cuda', '-lc10_cuda'] : []),
      ...dist.libraries,
      '-Wl,--as-needed',
    ],
    ldflags: root ? [`-Wl,-rpath,${libDir}`] : [],
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const field = process.argv[2];
  const config = findLibtorch();
  const fields = {
    include_dirs: config.includeDirs,
    cflags: config.cflags,
    libraries: config.libraries,
    ldflags: config.ldflags,
    defines: config.defines,
  };
  if (!(field in fields)) throw new Error(`usage: node scripts/libtorch.mjs ${Object.keys(fields).join('|')}`);
  process.stdout.write(fields[field].join(' ') + '\n');
}
