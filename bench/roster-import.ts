import 'reflect-metadata';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { openDatabase } from '../entities/data-source';
import { formatRowError, importRoster } from '../src/services/roster';

/**
 * Roster import speed: generates N households (default 1,000,000) with a
 * matching roster (250 households a village, 10 a cadre, 2 villages a unit),
 * imports it into a scratch database twice (first load, then the idempotent
 * re-import) and prints households/min and peak RSS.
 *
 *   node dist/bench/roster-import.js [households] [--keep]
 */
const HOUSEHOLDS_PER_VILLAGE = 250;
const HOUSEHOLDS_PER_CADRE = 10;
const CITIES = 14;
const CATEGORIES = ['贫困户', '特困户', '低保户', '五保户', '一般户'];

async function writeCsv(path: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Village i sits in city i%14, county i/200, township i/20: every name unique where it must be. */
function place(i: number): { city: string; county: string; township: string; village: string } {
  const county = Math.floor(i / 200);
  return {
    city: `测${county % CITIES}市`,
    county: `测${county}县`,
    township: `测${Math.floor(i / 20)}镇`,
    village: `测${i}村`,
  };
}

export async function generateRoster(dir: string, households: number): Promise<void> {
  const villages = Math.ceil(households / HOUSEHOLDS_PER_VILLAGE);
  const cadres = Math.ceil(households / HOUSEHOLDS_PER_CADRE);
  const units = Math.ceil(villages / 2);
  await writeCsv(join(dir, 'villages.csv'), '市,县区,乡镇,村,类型,贫困村,纬度,经度', villages, (i) => {
    const p = place(i);
    return `${p.city},${p.county},${p.township},${p.village},村,${i % 3 === 0 ? '是' : '否'},${(35 + (i % 1000) / 1000).toFixed(4)},${(104 + (i % 997) / 1000).toFixed(4)}`;
  });
  await writeCsv(join(dir, 'units.csv'), '单位,联系村,联系开始日期', villages, (i) => {
    const p = place(i);
    return `测试单位${Math.floor(i / 2)},${p.county}/${p.township}/${p.village},`;
  });
  await writeCsv(join(dir, 'cadres.csv'), '账号,姓名,手机,单位,角色,管辖范围', cadres, (i) =>
    `c${i},干部${i},139${String(i).padStart(8, '0')},测试单位${i % units},${i % 50 === 0 ? '队员' : '干部'},`);
  await writeCsv(join(dir, 'households.csv'), '县区,乡镇,村,户主,类别,人口,联户干部账号,联系开始日期', households, (i) => {
    const p = place(Math.floor(i / HOUSEHOLDS_PER_VILLAGE));
    return `${p.county},${p.township},${p.village},户主${i},${CATEGORIES[i % 5]},${1 + (i % 6)},c${Math.floor(i / HOUSEHOLDS_PER_CADRE)},`;
  });
}

async function main(argv: string[]): Promise<void> {
  const households = Number(argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const keep = argv.includes('--keep');
  const config = loadConfig();
  const url = new URL(config.databaseUrl);
  const name = `sl_bench_roster_${process.pid}`;
  url.pathname = `/${name}`;
  const dir = await mkdtemp(join(tmpdir(), 'roster-bench-'));
  let t = Date.now();
  await generateRoster(dir, households);
  process.stdout.write(`generated ${households.toLocaleString('en')} households in ${dir} (${Date.now() - t} ms)\n`);
  const db = await openDatabase({ url: url.toString(), poolSize: 2, applicationName: 'roster-bench' });
  try {
    for (const pass of ['first import', 're-import']) {
      t = Date.now();
      const report = await importRoster(db, dir, { progress: true });
      const ms = Date.now() - t;
      if (!report.ok) throw new Error(report.errors.slice(0, 20).map(formatRowError).join('\n'));
      const hh = report.sheets.find((s) => s.kind === 'households')!;
      process.stdout.write(
        `${pass}: ${(ms / 1000).toFixed(1)} s, ${Math.round((households / ms) * 60_000).toLocaleString('en')} households/min ` +
        `(created ${hh.created}, unchanged ${hh.unchanged}, links opened ${hh.linksOpened}), changed=${report.changed} ${JSON.stringify(report.timings)}\n`,
      );
    }
    process.stdout.write(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
  } finally {
    await db.destroy();
    if (!keep) {
      await rm(dir, { recursive: true, force: true });
      const admin = new Client({ connectionString: config.databaseUrl.replace(/\/[^/]*$/, '/postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
