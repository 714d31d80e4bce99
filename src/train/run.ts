import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainConfigSchema, type TrainConfig } from './config.js';

/** The training settings a run was made with (RUN/config.json). */
export async function readRunConfig(runDir: string): Promise<TrainConfig> {
  const path = join(runDir, 'config.json');
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch { throw new Error(`${path}: not found; is ${runDir} a training run folder?`); }
  const parsed = TrainConfigSchema.safeParse((JSON.parse(text) as { train?: unknown }).train);
  if (!parsed.success) throw new Error(`${path}: invalid training settings (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}
