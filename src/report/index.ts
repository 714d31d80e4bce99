import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { loadStudy } from './load.js';
import { reportHtml } from './page.js';

export { loadStudy, type StudyData } from './load.js';
export { reportHtml } from './page.js';
export { conclusion } from './conclusion.js';
export { rocCurve, areaUnder, simplifyRoc, type RocPoint } from './roc.js';
export { pickPairs, type GalleryPair } from './gallery.js';

/** Render STUDYDIR/report.html from results.json and the files beside it; returns the report's path. */
export async function renderReport(dir: string): Promise<string> {
  const data = await loadStudy(dir);
  const path = join(data.dir, 'report.html');
  await writeFileAtomic(path, await reportHtml(data));
  return path;
}
export { screenHtml, effectChart } from './screen-html.js';
