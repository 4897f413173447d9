import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The import rules of docs/architecture.md, as .dependency-cruiser.js writes
 * them down: any violation fails the suite, listed rule by rule.
 */
const ROOT = join(__dirname, '..', '..');

interface Violation { rule: { name: string }; from: string; to: string }

test('imports follow the architecture’s directions', () => {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      'src', 'bots', 'jobs', 'entities', '--config', '.dependency-cruiser.js', '--output-type', 'json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  expect(report.summary.totalCruised).toBeGreaterThan(150);
  expect(report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
}, 60_000);

/** Every .ts file under dir, recursively. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

test('raw SQL lives only under src/services/ (and the migrations)', () => {
  const SQL = /\.query\(\s*[`'"]\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH|SET|CREATE|ALTER|DROP)\b/i;
  const files = ['src', 'bots', 'jobs'].flatMap(sources).filter((f) => !f.startsWith('src/services/'));
  expect(files.length).toBeGreaterThan(50);
  const offenders = files.filter((f) => SQL.test(readFileSync(join(ROOT, f), 'utf8')));
  expect(offenders).toEqual([]);
});
