import { placeName } from '../src/lib/place';

/** Shaping chat replies: WeCom text messages carry at most 2048 bytes of UTF-8. */

export const MAX_REPLY_BYTES = 2048;
const OMITTED = '\n…（内容较多，已省略）';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cuts a reply at a line (or, failing that, a character) boundary so it fits, saying so. */
export function fitReply(text: string, max = MAX_REPLY_BYTES): string {
  if (bytes(text) <= max) return text;
  const budget = max - bytes(OMITTED);
  const lines = text.split('\n');
  let out = '';
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (bytes(next) > budget) break;
    out = next;
  }
  if (!out) {
    let used = 0;
    for (const ch of text) {
      used += bytes(ch);
      if (used > budget) break;
      out += ch;
    }
  }
  return out + OMITTED;
}

/** 甘肃省/天水市/武山县/鸳鸯镇/丁门村 → 丁门村（武山县鸳鸯镇）, to tell namesakes apart. */
export function villageWithPlace(fullName: string): string {
  const parts = fullName.split('/');
  const name = parts[parts.length - 1];
  const place = parts.slice(2, -1).join('');
  return place ? `${name}（${place}）` : name;
}

/** 甘肃省/天水市/武山县/鸳鸯镇/丁门村 → 武山县鸳鸯镇丁门村 (county down: enough to tell villages apart in a list). */
export function villageFromCounty(fullName: string): string {
  return placeName(fullName, 'county');
}

/** Metres as 850米 / 1.2公里. */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)}米` : `${(m / 1000).toFixed(1).replace(/\.0$/, '')}公里`;
}

/** Quoting user input back, kept short. */
export function quote(s: string, max = 20): string {
  const chars = [...s];
  return `“${chars.length > max ? `${chars.slice(0, max).join('')}…` : s}”`;
}
