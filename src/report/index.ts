import { join } from 'node:path';
import { writeFileAtomic } from '../util/index.js';
import { loadStudy } from './load.js';
import { reportHtml } from './page.js';

/** Render STUDYDIR/report.html from results.json and the files beside it; returns the report's path. */
export async function renderReport(dir: string): Promise<string> {
  const data = await loadStudy(dir);
  const path = join(data.dir, 'report.html');
  await writeFileAtomic(path, await reportHtml(data));
  return path;
}
export { conclusion } from './conclusion.js';
export { isNum } from './format.js';
export { type GalleryPair, pickPairs } from './gallery.js';
export { loadStudy, type StudyData } from './load.js';
export { reportHtml } from './page.js';
export { areaUnder, rocCurve, type RocPoint, simplifyRoc } from './roc.js';
export { effectChart, screenHtml } from './screen-html.js';
