import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { PhotoType } from './image-check';

/**
 * Thumbnails for the console: the picture decoded (jpeg-js / pngjs, pure JS),
 * shrunk with a box filter so the longer side is at most THUMB_MAX_SIDE, PNG
 * transparency laid on white, encoded as JPEG. Made once, when the photo is
 * stored; stored beside it under a key derived from the same hash.
 */

export const THUMB_MAX_SIDE = 320;
const THUMB_QUALITY = 75;
/** Refuse to decode pictures beyond this (a 10 MB JPEG can hold far more pixels than a phone takes). */
const MAX_MEGAPIXELS = 50;

export const thumbKey = (sha256: string) => `thumbs/${sha256.slice(0, 2)}/${sha256}.jpg`;

interface Rgba { width: number; height: number; data: Uint8Array }

function decode(data: Buffer, type: PhotoType): Rgba {
  if (type === 'image/jpeg') {
    return jpeg.decode(data, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
  }
  const png = PNG.sync.read(data);
  if (png.width * png.height > MAX_MEGAPIXELS * 1e6) throw new RangeError('picture too large to decode');
  return { width: png.width, height: png.height, data: png.data };
}

/** Box-filter downscale to fit maxSide; alpha composited on white. */
export function shrink(src: Rgba, maxSide: number): Rgba {
  const scale = Math.min(1, maxSide / Math.max(src.width, src.height));
  const w = Math.max(1, Math.round(src.width * scale));
  const h = Math.max(1, Math.round(src.height * scale));
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * src.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * src.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / w));
      let r = 0, g = 0, b = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * src.width + sx) * 4;
          const a = src.data[i + 3] / 255;
          r += src.data[i] * a + 255 * (1 - a);
          g += src.data[i + 1] * a + 255 * (1 - a);
          b += src.data[i + 2] * a + 255 * (1 - a);
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * w + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
      out[o + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

/** A JPEG thumbnail, or null when the picture cannot be decoded (the full picture is then shown). */
export function makeThumbnail(data: Buffer, type: PhotoType, maxSide = THUMB_MAX_SIDE): Buffer | null {
  try {
    const small = shrink(decode(data, type), maxSide);
    return jpeg.encode({ width: small.width, height: small.height, data: small.data }, THUMB_QUALITY).data;
  } catch {
    return null;
  }
}
