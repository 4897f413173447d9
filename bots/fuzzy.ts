import { pinyin } from 'pinyin-pro';

/** Edit distance over Unicode code points (names are a few characters long). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

/** Pinyin initials, lower case: 丁门 → "dm". */
export function initialsOf(s: string): string {
  return pinyin(s, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase();
}

/** True for a spec that can only be pinyin initials. */
export function looksLikeInitials(s: string): boolean {
  return /^[a-z]{1,10}$/i.test(s);
}

/**
 * The closest `n` items by edit distance of their name; items sharing no
 * character at all with the spec are never suggested.
 */
export function closest<T>(spec: string, items: T[], name: (t: T) => string, n = 3, tieBreak: (t: T) => number = () => 0): T[] {
  const chars = new Set(spec);
  return items
    .filter((t) => [...name(t)].some((c) => chars.has(c)))
    .map((t) => ({ t, d: editDistance(spec, name(t)) }))
    .sort((a, b) => a.d - b.d || tieBreak(a.t) - tieBreak(b.t))
    .slice(0, n)
    .map((x) => x.t);
}
