import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test("synth --out /proc/x fails at once with the folder named (Node's recursive mkdir spun there for ever)", {
  skip: !existsSync('/proc/self') && 'no procfs',
}, async () => {
  const r = await new Promise<{ code: number | null; stderr: string }>((ok) => {
    execFile(
      process.execPath,
      [CLI, 'synth', '--out', '/proc/confound-x', '--studies', '2'],
      { timeout: 20_000 },
      (err, _out, stderr) => {
        ok({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr });
      },
    );
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /synth --out \/proc\/confound-x: .*cannot create folder \/proc\/confound-x \(ENOENT\)/);
});
