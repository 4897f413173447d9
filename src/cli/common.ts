import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from '../config';

/**
 * What every command-line entry point shares: the configuration (each problem
 * printed on its own line) and the exit code.
 */

/** Thrown to stop a CLI with an exit code once the reason has been printed. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Loads the configuration; on a bad environment prints every problem and exits with `code`. */
export function loadCliConfig(code = 1): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) process.stderr.write(`config error: ${p}\n`);
    throw new CliExit(code);
  }
}

/**
 * Runs a CLI's main when its file is the entry point and exits with the code it
 * returns. An unexpected error is described by `describe` (default: its stack)
 * and exits with `failureCode`.
 */
export function runCli(
  entry: NodeModule,
  main: (argv: string[]) => Promise<number>,
  { failureCode = 1, describe = (e: unknown) => `${(e as Error).stack ?? String(e)}` } = {},
): void {
  if (require.main !== entry) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof CliExit) process.exit(e.code);
      process.stderr.write(`${describe(e)}\n`);
      process.exit(failureCode);
    },
  );
}
