import { BENCH_DATABASE_URL, numberFlag, parseFlags, stringFlag } from './lib/args';
import { runSeed } from './seed/index';

/**
 * npm run bench:seed -- --cadres 500000 --villages 20000 --households 5000000 --visits 10000000
 *
 * Generates a province-sized dataset into a separate database (dropped and
 * recreated: never point it at the app's database) with COPY. Same --seed and
 * --now give the same data.
 */
async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const databaseUrl = stringFlag(flags, 'database-url', BENCH_DATABASE_URL);
  const dbName = new URL(databaseUrl).pathname.slice(1);
  if (!dbName.includes('bench') && flags.force !== true) {
    throw new Error(`refusing to drop "${dbName}": the name must contain "bench" (or pass --force)`);
  }
  const villages = numberFlag(flags, 'villages', 20_000);
  const households = numberFlag(flags, 'households', 5_000_000);
  const sizes = {
    cadres: numberFlag(flags, 'cadres', 500_000),
    villages,
    households,
    visits: numberFlag(flags, 'visits', 10_000_000),
    householdVisits: numberFlag(flags, 'household-visits', households),
    problems: numberFlag(flags, 'problems', villages * 5),
    diaries: numberFlag(flags, 'diaries', Math.round(households / 10)),
    notices: numberFlag(flags, 'notices', Math.max(1, Math.round((villages * 1300) / 20_000 / 4))),
  };
  const seed = numberFlag(flags, 'seed', 1);
  const now = flags.now && flags.now !== true ? new Date(flags.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new Error('--now must be an ISO date-time');

  const command = `npm run bench:seed -- ${Object.entries(sizes).map(([k, v]) => `--${kebab(k)} ${v}`).join(' ')} --seed ${seed} --now ${now.toISOString()}`;
  console.log(`# ${command}`);
  const report = await runSeed({
    databaseUrl, sizes, seed, now, recreate: true, progress: true, log: (l) => console.log(l),
  });
  const rows = report.tables.reduce((n, t) => n + t.rows, 0);
  for (const t of report.tables) console.log(`${t.table.padEnd(22)} ${String(t.rows).padStart(11)} rows  ${t.seconds}s`);
  console.log(`copied ${rows} rows; indexes ${report.indexSeconds}s; vacuum analyze ${report.vacuumSeconds}s; total ${report.totalSeconds}s`);
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
