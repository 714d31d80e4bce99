import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { writeJsonAtomic } from '../util/index.js';

interface DoneStep {
  result: unknown;
  seconds: number;
  key?: string;
  settings?: unknown;
}

/** JSON with object keys sorted, so equal settings always give the same text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export function settingsKey(settings: unknown): string {
  return createHash('sha256').update(stableJson(settings)).digest('hex').slice(0, 16);
}

/** Dotted paths whose values differ between two settings objects, as "path: old -> new". */
export function settingsDiff(before: unknown, after: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => settingsDiff(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  const a = stableJson(before),
    b = stableJson(after);
  return a === b ? [] : [`${prefix || '(value)'}: ${a ?? 'unset'} -> ${b ?? 'unset'}`];
}

export class StepSettingsChanged extends Error {
  constructor(
    readonly step: string,
    readonly changes: string[],
    dir: string,
  ) {
    super(
      `${dir}: step ${step} was done with other settings (${changes.join('; ')}). ` +
        'Rerun with --restart-changed to redo it and every step after it, or use another --out.',
    );
  }
}

export interface StepOptions {
  /** Files or folders the step writes: removed before the step is redone with changed settings. */
  outputs?: readonly string[];
}

/**
 * Resumable steps keyed by their inputs. Each finished step's result is stored in STUDYDIR/steps.json with the
 * settings (and upstream step keys) it was made from. A rerun returns the stored result only when those match;
 * otherwise it stops and names what changed, or, with restartChanged, redoes the step. A step's settings include
 * the keys of the steps it reads, so a redone step makes every step after it change too. A step killed half-way
 * leaves no entry and runs again (steps write their files atomically; training resumes from its checkpoint).
 */
export class StepLog {
  private done: Record<string, DoneStep> = {};
  readonly timings: Record<string, number> = {};
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly dir: string,
    private readonly restartChanged: boolean,
  ) {}

  static async open(dir: string, path: string, opts: { restartChanged?: boolean } = {}): Promise<StepLog> {
    const log = new StepLog(path, dir, opts.restartChanged ?? false);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      /* a new study */
    }
    if (text !== undefined) {
      try {
        log.done = JSON.parse(text);
      } catch (err) {
        throw new Error(`${path}: not valid JSON (${(err as Error).message}); remove it to redo every step`);
      }
    }
    for (const [k, v] of Object.entries(log.done)) log.timings[k] = v.seconds;
    return log;
  }

  /** The key of a finished step: what later steps name as their input. */
  keyOf(name: string): string {
    const key = this.done[name]?.key;
    if (!key) throw new Error(`step ${name} has not run`);
    return key;
  }

  async run<T>(name: string, settings: unknown, work: () => Promise<T>, opts: StepOptions = {}): Promise<T> {
    const key = settingsKey(settings);
    const prior = this.done[name];
    if (prior && prior.key === key) {
      process.stderr.write(`[skip] ${name} (done earlier with the same settings)\n`);
      return prior.result as T;
    }
    if (prior) {
      const changes =
        prior.settings === undefined
          ? ['recorded by an older confound without its settings']
          : settingsDiff(prior.settings, settings);
      if (!this.restartChanged) throw new StepSettingsChanged(name, changes, this.dir);
      process.stderr.write(`[redo] ${name}: ${changes.join('; ')}\n`);
      delete this.done[name];
      delete this.timings[name];
      await this.save();
      for (const p of opts.outputs ?? []) await rm(p, { recursive: true, force: true });
    }
    process.stderr.write(`[step] ${name}\n`);
    const started = Date.now();
    const result = await work();
    const seconds = (Date.now() - started) / 1000;
    this.done[name] = { result, seconds, key, settings };
    this.timings[name] = seconds;
    await this.save();
    return result;
  }

  /** Writes are queued: steps that run side by side must not race on the file. */
  private save(): Promise<void> {
    this.writing = this.writing.then(() => writeJsonAtomic(this.path, this.done));
    return this.writing;
  }
}
