import type { DatasetSummary } from './folder.js';
import type { Dataset, ImageRecord } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';

type DatasetCounts = Omit<DatasetSummary, 'excluded_from_arms' | 'excluded_ids'>;

/** Counts per split and part, prevalence, and how many images carry label boxes. */
export async function describeDataset(
  ds: Dataset,
  splits: { train: ImageRecord[]; valid: ImageRecord[]; test: ImageRecord[]; how: string },
  boxes: ReadonlyMap<string, readonly LabelBox[]>,
): Promise<DatasetCounts> {
  const per: DatasetCounts['splits'] = {};
  const parts: DatasetCounts['parts'] = {};
  for (const name of ['train', 'valid', 'test'] as const) {
    const rs = splits[name];
    const abnormal = rs.filter((r) => r.label === 1).length;
    per[name] = {
      images: rs.length,
      studies: new Set(rs.map((r) => r.study)).size,
      patients: new Set(rs.map((r) => r.patient)).size,
      abnormal_images: abnormal,
      prevalence: rs.length ? abnormal / rs.length : 0,
    };
    for (const r of rs) {
      const p = r.part ?? 'unknown';
      parts[p] ??= {};
      parts[p][name] = (parts[p][name] ?? 0) + 1;
    }
  }
  const all = [...boxes.values()].flat();
  const byCategory: Record<string, number> = {};
  for (const b of all) byCategory[b.category] = (byCategory[b.category] ?? 0) + 1;
  return {
    root: ds.root,
    format: ds.format,
    images: ds.records.length,
    skipped: ds.issues.length,
    split_how: splits.how,
    splits: per,
    parts,
    boxes: {
      images_with_boxes: [...boxes.values()].filter((b) => b.length > 0).length,
      total: all.length,
      by_category: byCategory,
    },
  };
}
