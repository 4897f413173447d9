/**
 * Runs `task` every `intervalMs`, never two at once (the next run is timed from
 * the end of the last), for the sweeps that pick up work Redis or a dead
 * process left behind. `stop()` waits for a run in flight. A non-positive
 * interval runs nothing (tests switch sweeps off that way).
 */
export function repeatEvery(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  let stopped = intervalMs <= 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = task()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  if (!stopped) timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
