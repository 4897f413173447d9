/**
 * Counter-based pseudo-randomness: every value is a pure function of
 * (seed, stream, row, field), so any row of any table can be recomputed
 * without generating the rows before it (the household visits refer back to
 * the visits this way) and the whole dataset is reproducible from --seed.
 */
export interface Rand {
  /** Uniform in [0, 1). */
  u(row: number, field: number): number;
  /** Uniform integer in [0, n). */
  int(row: number, field: number, n: number): number;
  /** True with probability p. */
  chance(row: number, field: number, p: number): boolean;
}

function mix(h: number): number {
  // murmur3 fmix32
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function createRand(seed: number, stream: number): Rand {
  const base = mix(mix(seed ^ 0x9e3779b9) ^ Math.imul(stream + 1, 0x27d4eb2d));
  const u = (row: number, field: number): number => {
    const hi = Math.floor(row / 0x100000000);
    const h = mix(mix(base ^ (row >>> 0)) ^ Math.imul(field + 1, 0x165667b1) ^ hi);
    return h / 0x100000000;
  };
  return {
    u,
    int: (row, field, n) => Math.floor(u(row, field) * n),
    chance: (row, field, p) => u(row, field) < p,
  };
}
