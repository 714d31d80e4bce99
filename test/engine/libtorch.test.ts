import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface LibtorchConfig {
  source: string;
  includeDirs: string[];
  libDir: string;
  cuda: boolean;
  cxx11Abi: boolean;
  cflags: string[];
  libraries: string[];
  ldflags: string[];
}
const { findLibtorch, HOW_TO_GET_LIBTORCH } = (await import(
  new URL('../../../scripts/libtorch.mjs', import.meta.url).href
)) as { findLibtorch(env: Record<string, string | undefined>): LibtorchConfig; HOW_TO_GET_LIBTORCH: string };

/** A folder shaped like a pytorch.org libtorch download; libc10.so carries (or not) a C++11-ABI std::string symbol. */
async function fakeLibtorch(dir: string, opts: { cxx11: boolean; cuda: boolean }): Promise<void> {
  await mkdir(join(dir, 'include/torch/csrc/api/include/torch'), { recursive: true });
  await mkdir(join(dir, 'lib'), { recursive: true });
  await writeFile(join(dir, 'include/torch/csrc/api/include/torch/torch.h'), '');
  const symbol = opts.cxx11
    ? '_ZN3c106detail14torchCheckFailEPKcS2_jRKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE'
    : '_ZN3c106detail14torchCheckFailEPKcS2_jRKSs';
  await writeFile(join(dir, 'lib/libc10.so'), `\x7fELF...${symbol}...`);
  if (opts.cuda) await writeFile(join(dir, 'lib/libtorch_cuda.so'), '');
}

test('LIBTORCH folders: include dirs, rpath, C++ ABI from libc10 and CUDA libraries are detected', async () => {
  const root = await mkdtemp(join(tmpdir(), 'confound-libtorch-'));
  try {
    await fakeLibtorch(join(root, 'cuda'), { cxx11: true, cuda: true });
    const cuda = findLibtorch({ LIBTORCH: join(root, 'cuda') });
    assert.deepEqual(cuda.includeDirs, [join(root, 'cuda/include'), join(root, 'cuda/include/torch/csrc/api/include')]);
    assert.deepEqual(cuda.cflags, ['-D_GLIBCXX_USE_CXX11_ABI=1']);
    assert.deepEqual(cuda.ldflags, [`-Wl,-rpath,${join(root, 'cuda/lib')}`]);
    assert.ok(cuda.libraries.includes('-ltorch_cuda') && cuda.libraries.includes('-lc10_cuda'));

    await fakeLibtorch(join(root, 'old-abi'), { cxx11: false, cuda: false });
    const cpu = findLibtorch({ LIBTORCH: join(root, 'old-abi') });
    assert.deepEqual(cpu.cflags, ['-D_GLIBCXX_USE_CXX11_ABI=0']);
    assert.ok(!cpu.libraries.includes('-ltorch_cuda'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a LIBTORCH that is not a libtorch folder fails with one message naming both ways to get libtorch', () => {
  assert.throws(
    () => findLibtorch({ LIBTORCH: '/nonexistent/libtorch' }),
    (err: Error) => {
      assert.match(
        err.message,
        /^LIBTORCH=\/nonexistent\/libtorch is not a libtorch folder \(missing .*torch\.h, \/nonexistent\/libtorch\/lib\)/,
      );
      assert.ok(err.message.endsWith(HOW_TO_GET_LIBTORCH));
      assert.match(HOW_TO_GET_LIBTORCH, /apt-get install libtorch-dev/);
      assert.match(HOW_TO_GET_LIBTORCH, /LIBTORCH=\/path\/to\/libtorch/);
      return true;
    },
  );
});
