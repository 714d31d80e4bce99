import type { ImageRecord } from '../types.js';
import { defaultFrameMode } from '../dicom.js';
import { isDicomPath, readDicomHeader } from '../dicom/header.js';

/** The id of one frame's record: the file's id and `#frame-N`, N from 1. */
export const frameId = (id: string, frame: number): string => `${id}#frame-${frame + 1}`;

/**
 * Multi-frame DICOM records under the --frames mode: 'all' makes one record per frame (same patient and study,
 * id with a #frame-N suffix), 'first' pins frame 1; each names its `frame`, so every later read (in any thread)
 * takes that frame whatever the mode there. 'error' leaves them: reading one then fails, naming the file.
 */
export async function expandFrames(records: ImageRecord[]): Promise<ImageRecord[]> {
  const mode = defaultFrameMode();
  if (mode === 'error') return records;
  const frames = await Promise.all(
    records.map(async (r) =>
      r.frame === undefined && (await isDicomPath(r.path))
        ? readDicomHeader(r.path).then(
            (h) => h.frames,
            () => 1,
          )
        : 1,
    ),
  );
  return records.flatMap((r, i) => {
    if (frames[i] <= 1) return [r];
    if (mode === 'first') return [{ ...r, frame: 0 }];
    return Array.from({ length: frames[i] }, (_, k) => ({ ...r, id: frameId(r.id, k), frame: k }));
  });
}
