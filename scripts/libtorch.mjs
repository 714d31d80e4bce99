// Where libtorch is and how to compile and link against it. Used by build-addon.mjs and, through
// `node scripts/libtorch.mjs <field>`, by binding.gyp (fields: include_dirs, cflags, libraries, ldflags).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HOW_TO_GET_LIBTORCH =
  'libtorch was not found. Either install Debian\'s package (apt-get install libtorch-dev) or download ' +
  'libtorch from https://pytorch.org (CPU or CUDA, "cxx11 ABI" build) and set LIBTORCH=/path/to/libtorch ' +
  '(the folder holding include/ and lib/), then run npm run install (or node scripts/build-addon.mjs).';

function debianLibDir() {
  let multiarch = 'x86_64-linux-gnu';
  try {
    multiarch = execFileSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).trim() || multiarch;
  } catch { /* keep the default */ }
  return [`/usr/lib/${multiarch}`, '/usr/lib64', '/usr/lib'].find((d) => existsSync(join(d, 'libtorch.so')));
}

/** libtorch's C++ ABI, read from the std::string symbols its libc10 exports. */
function usesCxx11Abi(libDir) {
  const lib = readdirSync(libDir).find((f) => /^libc10\.so/.test(f));
  if (lib === undefined) throw new Error(`libtorch at ${libDir} has no libc10.so`);
  return readFileSync(join(libDir, lib)).includes('St7__cxx1112basic_string');
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
      throw new Error(`LIBTORCH=${env.LIBTORCH} is not a libtorch folder (missing ${missing.join(', ')}). ` +
        HOW_TO_GET_LIBTORCH);
    }
  } else {
    libDir = debianLibDir();
    includeDirs = ['/usr/include/torch/csrc/api/include'];
    if (libDir === undefined || !existsSync(join(includeDirs[0], 'torch/torch.h'))) throw new Error(HOW_TO_GET_LIBTORCH);
  }
  const cuda = existsSync(join(libDir, 'libtorch_cuda.so'));
  const cxx11Abi = usesCxx11Abi(libDir);
  return {
    source: root ? `LIBTORCH=${root}` : 'Debian libtorch-dev',
    includeDirs,
    libDir,
    cuda,
    cxx11Abi,
    cflags: [`-D_GLIBCXX_USE_CXX11_ABI=${cxx11Abi ? 1 : 0}`],
    // --no-as-needed keeps libtorch_cuda linked although no symbol of it is used directly: loading it
    // is what registers the CUDA kernels.
    libraries: [`-L${libDir}`, '-Wl,--no-as-needed', '-ltorch', '-ltorch_cpu', '-lc10',
      ...(cuda ? ['-ltorch_cuda', '-lc10_cuda'] : []), '-Wl,--as-needed'],
    ldflags: root ? [`-Wl,-rpath,${libDir}`] : [],
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const field = process.argv[2];
  const config = findLibtorch();
  const fields = { include_dirs: config.includeDirs, cflags: config.cflags, libraries: config.libraries, ldflags: config.ldflags };
  if (!(field in fields)) throw new Error(`usage: node scripts/libtorch.mjs ${Object.keys(fields).join('|')}`);
  process.stdout.write(fields[field].join(' ') + '\n');
}
