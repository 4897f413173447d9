import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { checkImage, MAX_PHOTO_BYTES, sniffImageType } from '../../../../src/services/photos/image-check';
import { makeThumbnail, shrink } from '../../../../src/services/photos/thumbnail';

/** JPEG/PNG by magic bytes, the 10 MB cap, and thumbnails that really are smaller pictures. */

function solid(width: number, height: number, rgba: [number, number, number, number]) {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return { width, height, data };
}

test('JPEG and PNG are told by their first bytes, never by what the sender claims', () => {
  const j = jpeg.encode(solid(8, 8, [200, 0, 0, 255]), 90).data;
  const png = PNG.sync.write(Object.assign(new PNG({ width: 4, height: 4 }), { data: solid(4, 4, [0, 0, 255, 255]).data }));
  expect(sniffImageType(j)).toBe('image/jpeg');
  expect(sniffImageType(png)).toBe('image/png');
  expect(checkImage(Buffer.from('GIF89a........'))).toEqual({ ok: false, reason: 'not_image' });
  expect(checkImage(Buffer.alloc(0))).toEqual({ ok: false, reason: 'empty' });
  const big = Buffer.alloc(MAX_PHOTO_BYTES + 1);
  big.set([0xff, 0xd8, 0xff]);
  expect(checkImage(big)).toEqual({ ok: false, reason: 'too_large' });
  big.subarray(MAX_PHOTO_BYTES).fill(0);
  expect(checkImage(big.subarray(0, MAX_PHOTO_BYTES))).toEqual({ ok: true, type: 'image/jpeg' });
});

test('a thumbnail keeps the aspect ratio, fits 320 px and keeps the colour', () => {
  const photo = jpeg.encode(solid(1200, 900, [30, 160, 60, 255]), 90).data;
  const thumb = makeThumbnail(photo, 'image/jpeg')!;
  const t = jpeg.decode(thumb, { useTArray: true });
  expect([t.width, t.height]).toEqual([320, 240]);
  expect(thumb.length).toBeLessThan(photo.length);
  const [r, g, b] = t.data.subarray(160 * 4 * 120, 160 * 4 * 120 + 3);
  expect(Math.abs(r - 30)).toBeLessThan(12);
  expect(Math.abs(g - 160)).toBeLessThan(12);
  expect(Math.abs(b - 60)).toBeLessThan(12);
});

test('PNG transparency is laid on white; small pictures are not enlarged', () => {
  const png = PNG.sync.write(Object.assign(new PNG({ width: 100, height: 50 }), { data: solid(100, 50, [0, 0, 0, 0]).data }));
  const t = jpeg.decode(makeThumbnail(png, 'image/png')!, { useTArray: true });
  expect([t.width, t.height]).toEqual([100, 50]);
  expect(t.data[0]).toBeGreaterThan(240);
  expect(shrink(solid(2, 1, [0, 0, 0, 255]), 320).width).toBe(2);
});

test('a picture that does not decode gets no thumbnail (the full picture is shown instead)', () => {
  expect(makeThumbnail(Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]), 'image/jpeg')).toBeNull();
});
