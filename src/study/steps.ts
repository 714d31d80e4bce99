import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic.js';

/**
 * Resumable steps: each finished step's result is stored in STUDYDIR/steps.json; a rerun returns the stored
 * result instead of doing the work again. A step killed half-way leaves no entry and runs again (steps write
 * their own files atomically, and training resumes from its last checkpoint).
 */
export class StepLog {
  private done: Record<string, { result: unknown; seconds: number }> = {};
  readonly timings: Record<string, number> = {};

  private constructor(private readonly path: string) {}

  static async open(dir: string): Promise<StepLog> {
    const log = new StepLog(join(dir, 'steps.json'));
    try { log.done = JSON.parse(await readFile(log.path, 'utf8')); } catch { /* a new study */ }
    for (const [k, v] of Object.entries(log.done)) log.timings[k] = v.seconds;
    return log;
  }

  has(name: string): boolean { return name in this.done; }

  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (name in this.done) {
      process.stderr.write(`[skip] ${name} (done earlier)\n`);
      return this.done[name].result as T;
    }
    process.stderr.write(`[step] ${name}\n`);
    const started = Date.now();
    const result = await work();
    const seconds = (Date.now() - started) / 1000;
    this.done[name] = { result, seconds };
    this.timings[name] = seconds;
    await writeJsonAtomic(this.path, this.done);
    return result;
  }
}
