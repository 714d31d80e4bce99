import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDataset } from '../data/index.js';
import type { StudyData } from '../report/index.js';

/** The study's images as the study itself read them: id -> file, and the folder they are listed under. */
export interface ViewerDataSource {
  /** What was loaded: a folder, or a CSV manifest. */
  source: string;
  /** The dataset root (a manifest's folder): served under /files/data/. */
  root: string;
  pathOf(id: string): string | undefined;
}

/**
 * Open the data a study used, through the same loader the study uses, so every source it accepts works here (a
 * MURA or GRAZPEDWRI-DX folder, a plain folder, a CSV manifest). The source is the one given, else the one the
 * study folder records (config.data, or the phantom it made), else the dataset root results.json records.
 */
export async function openDataSource(data: StudyData, given?: string): Promise<ViewerDataSource> {
  const root = data.results.dataset?.root;
  const candidates = given
    ? [resolve(given)]
    : [data.dataSource, ...(typeof root === 'string' && root ? [resolve(root)] : [])];
  const source = candidates.find((c) => existsSync(c));
  if (!source)
    throw new Error(
      `${candidates[0]}: data ${given ? 'folder' : 'source named by the study'} not found; give it with --data`,
    );
  return openDataFolder(source);
}

/** Any folder of images (or manifest) the study's loader accepts, read without a study: for boxing its images. */
export async function openDataFolder(source: string): Promise<ViewerDataSource & { ids: string[] }> {
  const ds = await loadDataset(source, { verify: 'none' });
  const byId = new Map(ds.records.map((r) => [r.id, r.path]));
  return { source, root: ds.root, pathOf: (id) => byId.get(id), ids: ds.records.map((r) => r.id) };
}
