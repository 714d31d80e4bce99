import { loadDataset } from '../data/index.js';
import type { ImageRecord } from '../data/index.js';
import type { ArmName } from './arms.js';

export type SplitRecords = { train: ImageRecord[]; valid: ImageRecord[]; test: ImageRecord[] };

/** Each arm's (masked) copy of the data, listed once per run however many steps ask for it. */
export class ArmListings {
  private readonly listed = new Map<ArmName, Promise<Map<string, ImageRecord>>>();

  constructor(private readonly folderOf: (arm: ArmName) => string) {}

  /** The arm's images by id. */
  byId(arm: ArmName): Promise<Map<string, ImageRecord>> {
    if (!this.listed.has(arm)) {
      this.listed.set(
        arm,
        loadDataset(this.folderOf(arm), { verify: 'none' }).then((ds) => new Map(ds.records.map((r) => [r.id, r]))),
      );
    }
    return this.listed.get(arm)!;
  }

  /** The same split's records, looked up by id in the arm's copy. */
  async records(arm: ArmName, splits: SplitRecords): Promise<SplitRecords> {
    const byId = await this.byId(arm);
    const map = (rs: ImageRecord[]) =>
      rs.map((r) => {
        const x = byId.get(r.id);
        if (!x) throw new Error(`${this.folderOf(arm)}: image ${r.id} is missing from this arm`);
        return { ...r, path: x.path };
      });
    return { train: map(splits.train), valid: map(splits.valid), test: map(splits.test) };
  }
}
