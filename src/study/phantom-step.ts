import { generateDataset, type SynthOptions } from '../synth/index.js';
import { progress } from '../util/index.js';

export type PhantomOptions = Partial<SynthOptions>;

/** Generate the built-in phantom dataset (issue B defaults unless overridden); returns what was made. */
export async function makePhantom(dir: string, opts: PhantomOptions) {
  let bar: ReturnType<typeof progress> | undefined;
  let last = 0;
  const summary = await generateDataset(dir, opts, (done, total) => {
    bar ??= progress('phantom', total);
    bar.tick(done - last);
    last = done;
  });
  bar?.stop();
  const { out: _out, ...rest } = summary;
  return rest;
}
