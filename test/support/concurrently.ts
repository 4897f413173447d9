/** Runs `fn` over `items`, in order, with at most `lanes` calls in flight (as WeCom's connections, or a load of independent requests). */
export async function concurrently<T>(lanes: number, items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}
