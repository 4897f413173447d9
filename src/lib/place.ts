/**
 * Place names as officials write them. Regions are stored as a path of names,
 * 甘肃省/天水市/武山县/鸳鸯镇/丁门村; people read 天水市武山县鸳鸯镇丁门村 (the province
 * is implied), never a slash path, in the chat, the H5 page, the console and exports.
 */

const LEVEL = { city: 1, county: 2, township: 3 } as const;

/**
 * 甘肃省/天水市/武山县/鸳鸯镇/丁门村 → 天水市武山县鸳鸯镇丁门村; `from` 'county' →
 * 武山县鸳鸯镇丁门村 (enough to tell villages apart in a list). The province itself is 甘肃省.
 */
export function placeName(fullName: string, from: keyof typeof LEVEL = 'city'): string {
  const parts = fullName.split('/').filter(Boolean);
  const shown = parts.slice(LEVEL[from]);
  return shown.length > 0 ? shown.join('') : parts[parts.length - 1] ?? '';
}
