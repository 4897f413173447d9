/**
 * Command-line flags for the bench scripts: `--name value` or `--name=value`,
 * bare `--flag` means true. Numbers accept 500000, 500_000 and 500k/5m.
 */
export type Flags = Record<string, string | true>;

export function parseFlags(argv: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) {
      flags[a.slice(2, eq)] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      flags[a.slice(2)] = argv[++i];
    } else {
      flags[a.slice(2)] = true;
    }
  }
  return flags;
}

export function numberFlag(flags: Flags, name: string, fallback: number): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  if (v === true) throw new Error(`--${name} needs a number`);
  const m = /^(\d[\d_]*(?:\.\d+)?)([km]?)$/i.exec(v.trim());
  if (!m) throw new Error(`--${name}: not a number: ${v}`);
  const scale = { '': 1, k: 1e3, m: 1e6 }[m[2].toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(m[1].replace(/_/g, '')) * scale);
}

export function stringFlag(flags: Flags, name: string, fallback: string): string {
  const v = flags[name];
  if (v === undefined) return fallback;
  if (v === true) throw new Error(`--${name} needs a value`);
  return v;
}

/** The default bench database: separate from the app's, dropped and recreated by the seed. */
export const BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/shuanglian_bench';
