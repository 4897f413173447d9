import { repeatEvery } from '../../../src/lib/interval-loop';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('repeatEvery', () => {
  test('runs again and again, never two at once, and stop waits for the run in flight', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let finished = 0;
    const loop = repeatEvery(5, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      await sleep(20);
      running--;
      finished++;
    }, () => undefined);
    await sleep(100);
    await loop.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(maxRunning).toBe(1);
    expect(finished).toBe(runs);
    const after = runs;
    await sleep(40);
    expect(runs).toBe(after);
  });

  test('an error is reported and the loop goes on', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const loop = repeatEvery(5, async () => {
      runs++;
      throw new Error('boom');
    }, (e) => errors.push(e));
    await sleep(40);
    await loop.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(runs);
  });

  test('a non-positive interval runs nothing', async () => {
    let runs = 0;
    const loop = repeatEvery(0, async () => { runs++; }, () => undefined);
    await sleep(20);
    await loop.stop();
    expect(runs).toBe(0);
  });
});
