/** Small films are enlarged before detection, so their type is as large on the working copies as on larger films. */
import { resampleAxis, resampleInto, type GrayImage } from '../../data/index.js';

/**
 * Longest side under which a film is enlarged. The learned stages were trained on the phantom's 256-px films, which
 * must stay as they are (phantom seeds 901-903 are all 256 x 256); every real film in real-all, real-extra and
 * real-dev but one is 556 px or more.
 */
export const UPSAMPLE_BELOW = 256;
/**
 * Longest side a film under UPSAMPLE_BELOW is enlarged to at least, by an integer factor. A 224-px thumbnail
 * (real-all, COVID-00048) is its own working copy and its labels are a few pixels high (PORTABLE 29 x 9, an L in a
 * dark ring 13 x 15, AP 10 x 9): as it is, the detector finds none of its four; enlarged three times (672 px) it
 * finds the L and part of the tag, both right; twice (448) or four times (896) it finds none.
 */
export const UPSAMPLE_TO = 512;

export function upsampleFactor(width: number, height: number): number {
  const side = Math.max(width, height);
  return side >= UPSAMPLE_BELOW ? 1 : Math.ceil(UPSAMPLE_TO / Math.max(side, 1));
}

/** The film enlarged by `u` with a linear filter (the film itself when u is 1). */
export function upsample(image: GrayImage, u: number): GrayImage {
  if (u === 1) return image;
  const width = image.width * u,
    height = image.height * u;
  const data = new Float32Array(width * height);
  resampleInto(image, resampleAxis(image.width, width, u, 0), resampleAxis(image.height, height, u, 0), data, width);
  return { width, height, data, bits: image.bits };
}
