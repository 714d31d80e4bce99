#!/usr/bin/env node
// Write the toy ONNX models used by the audit tests to a folder, to try `confound audit` by hand.
// Usage (after `npm run build`): node scripts/make-onnx-fixtures.mjs OUTDIR
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node scripts/make-onnx-fixtures.mjs OUTDIR\n');
  process.exit(2);
}
const { regionModel, convModel } = await import(new URL('../dist/src/audit/toy-models.js', import.meta.url).href);
await mkdir(out, { recursive: true });
// 64 x 64 models: "corner" reads only the top-left 16 x 16 patch at (4, 4), "anatomy" only the centre.
await writeFile(join(out, 'corner.onnx'), regionModel({ x: 4, y: 4, w: 16, h: 16 }, { scale: 8, bias: -6 }).onnx);
await writeFile(join(out, 'anatomy.onnx'), regionModel({ x: 24, y: 24, w: 16, h: 16 }, { scale: 8, bias: -4.4 }).onnx);
const cam = regionModel({ x: 4, y: 4, w: 16, h: 16 }, { scale: 8, bias: -6, camPool: 4 });
await writeFile(join(out, 'corner-cam.onnx'), cam.onnx);
await writeFile(join(out, 'corner-cam.weights.json'), JSON.stringify({ weights: cam.camWeights }) + '\n');
await writeFile(join(out, 'conv224.onnx'), convModel(224, 3));
process.stderr.write(
  `wrote corner.onnx, anatomy.onnx, corner-cam.onnx (+ weights, CAM output "features"), conv224.onnx to ${out}\n`,
);
