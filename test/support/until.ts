/** Polls `check` every pollMs until it is true; throws naming `what` after timeoutMs. */
export async function until(
  check: () => Promise<boolean>,
  opts: { what: string; timeoutMs: number; pollMs?: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what}`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
  }
}
