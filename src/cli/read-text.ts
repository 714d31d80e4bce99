/** `--read-text`, as detect and table take it: tesseract checked before any work, then a progress bar over the images. */
import type { ImageRecord, LoadIssue } from '../data/index.js';
import {
  imagesWithText,
  readOtherText,
  tesseractAvailable,
  tesseractCommand,
  type DetectedBox,
} from '../labels/index.js';
import { progress } from '../util/index.js';

export const READ_TEXT_HELP =
  "read the words of each text box (PORTABLE, AP ERECT) with Debian's tesseract-ocr into its text and the " +
  "table's other_text; a 'technologist' box read as a longer word becomes 'other'";

/** Fail at once, with the fix, when --read-text is asked for and tesseract does not run. */
export function requireTesseract(): void {
  if (!tesseractAvailable())
    throw new Error(
      `--read-text needs tesseract (\`${tesseractCommand()}\` did not run): apt-get install tesseract-ocr, or bash scripts/setup.sh`,
    );
}

/** Read the text boxes' words (in place), showing progress; images that could not be read are returned. */
export async function readTextShown(
  records: readonly ImageRecord[],
  boxes: readonly DetectedBox[],
): Promise<LoadIssue[]> {
  const bar = progress('read text', imagesWithText(boxes));
  const issues = await readOtherText(records, boxes, () => bar.tick());
  bar.stop();
  return issues;
}
