import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The real server process (`node <build>/src/main.js`), compiled once into a
 * cache folder of its own (incremental, so later runs are quick) rather than
 * dist/, which other people's builds may be rewriting. One folder per
 * checkout: git worktrees share one node_modules through a link, and each
 * must run its own code.
 */

const ROOT = join(__dirname, '..', '..');
export const BUILD_DIR = join(ROOT, 'node_modules', '.cache', `sl-faults-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`);
/**
 * Node keeps the linked path, so the built code finds this checkout's demo/
 * and public/ (projectRoot walks up from it) instead of the checkout the
 * node_modules link points to.
 */
const NODE_ARGS = ['--preserve-symlinks', '--preserve-symlinks-main'];

export async function buildServer(): Promise<string> {
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD_DIR,
      '--incremental', '--tsBuildInfoFile', join(BUILD_DIR, '.tsbuildinfo')],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  return join(BUILD_DIR, 'src', 'main.js');
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no shutdown hooks, no goodbye. */
  kill(): Promise<void>;
}

/** Starts main.js (with `args`, e.g. --server) with exactly `env` (plus PATH) and waits for /healthz to answer 200. */
export async function startServerProcess(mainJs: string, env: Record<string, string>, port: number, args: string[] = []): Promise<ServerProcess> {
  return startProcess(mainJs, { ...env, PORT: String(port) }, args, 'server did not become healthy',
    () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false));
}

/** Starts `main.js --worker` (no HTTP port) and waits for its job schedules to be upserted (needs LOG_LEVEL info or lower). */
export async function startWorkerProcess(mainJs: string, env: Record<string, string>): Promise<ServerProcess> {
  return startProcess(mainJs, env, ['--worker'], 'worker did not start', async (p) => p.output().includes('job schedules upserted'));
}

async function startProcess(
  mainJs: string, env: Record<string, string>, args: string[], failure: string,
  ready: (p: ServerProcess) => Promise<boolean>,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...NODE_ARGS, mainJs, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out = (out + String(d)).slice(-20000); });
  child.stderr!.on('data', (d) => { out = (out + String(d)).slice(-20000); });
  const proc: ServerProcess = {
    child,
    output: () => out,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited ${child.exitCode}: ${out}`);
    if (await ready(proc)) return proc;
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`${failure}: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
