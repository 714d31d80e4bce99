/** One image's detection as a thread does it (the calling thread and each worker alike): read it, then detect. */
import { readImage, releaseGray, type GrayImage } from '../../data/index.js';
import { detectLabels, type DetectedBox, type DetectorModel, type DetectOptions } from './detector.js';

export interface WorkerTask {
  index: number;
  path: string;
  id: string;
  /** The record's frame of a multi-frame DICOM. */
  frame?: number;
}
export type WorkerReply =
  | { index: number; boxes: DetectedBox[]; width: number; height: number }
  | { index: number; error: string };

/** Read one image and detect its labels; a file that cannot be read or detected is an error reply, not a throw. */
export async function detectRecord(task: WorkerTask, model: DetectorModel, opts: DetectOptions): Promise<WorkerReply> {
  let img: GrayImage;
  try {
    img = await readImage(task.path, { frame: task.frame });
  } catch (err) {
    return { index: task.index, error: (err as Error).message || 'cannot read image' };
  }
  try {
    return { index: task.index, boxes: detectLabels(img, task.id, model, opts), width: img.width, height: img.height };
  } catch (err) {
    return { index: task.index, error: (err as Error).message };
  } finally {
    // the boxes hold nothing of the image: its pixel store can take the next image read
    releaseGray(img);
  }
}
