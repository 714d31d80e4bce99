import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderInOrder, renderSpecFor, sampleMetadata, resolveOptions } from '../../src/synth/index.js';

test('worker threads render the same pixels and labels, in the same order, as one thread', async () => {
  const meta = sampleMetadata(resolveOptions({ studies: 30, size: 64, seed: 5 }));
  const specs = meta.studies.flatMap((s) => s.images.map((im) => renderSpecFor(s, im, 64)));
  assert.ok(specs.length >= 48, 'enough images for the worker path');
  const collect = async (threads: number) => {
    const out = [];
    for await (const r of renderInOrder(specs, threads)) out.push(r);
    return out;
  };
  const one = await collect(1);
  const two = await collect(2);
  assert.equal(two.length, specs.length);
  for (let i = 0; i < specs.length; i++) {
    assert.deepEqual(Buffer.from(two[i].image.data.buffer), Buffer.from(one[i].image.data.buffer), `image ${i}`);
    assert.deepEqual(two[i].labels, one[i].labels, `labels ${i}`);
  }
});
