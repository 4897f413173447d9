import type { Queue } from 'bullmq';

/**
 * The BullMQ job schedulers the worker keeps (jobs/schedules.ts) live only in
 * Redis: a Redis that restarts empty has none until they are upserted again.
 * Which of them are missing is asked by the worker's check loop and by /healthz.
 */
export async function missingJobSchedulers(queue: Queue, ids: readonly string[]): Promise<string[]> {
  const present = new Set((await queue.getJobSchedulers()).map((s) => s.key));
  return ids.filter((id) => !present.has(id));
}
