/**
 * What a stored photo may be: JPEG or PNG, judged by the file's magic bytes
 * (never by the name or the Content-Type WeCom sends), at most 10 MB.
 */

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export type PhotoType = 'image/jpeg' | 'image/png';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffImageType(data: Buffer): PhotoType | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  return null;
}

export type ImageVerdict = { ok: true; type: PhotoType } | { ok: false; reason: 'too_large' | 'not_image' | 'empty' };

export function checkImage(data: Buffer): ImageVerdict {
  if (data.length === 0) return { ok: false, reason: 'empty' };
  if (data.length > MAX_PHOTO_BYTES) return { ok: false, reason: 'too_large' };
  const type = sniffImageType(data);
  return type ? { ok: true, type } : { ok: false, reason: 'not_image' };
}
