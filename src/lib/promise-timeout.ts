/**
 * Promise time limits, one helper each way. The work itself is not cancelled:
 * it may still finish later, and a late failure is ignored.
 */

/** The promise's value, or a rejection after ms. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return race(p, ms, (_, reject) => reject(new Error(`${what} took longer than ${ms} ms`)));
}

/** The promise's value, or `fallback` after ms. */
export function withinOr<T, F>(p: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return race<T | F>(p, ms, (resolve) => resolve(fallback));
}

function race<T>(p: Promise<T>, ms: number, onTimeout: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => onTimeout(resolve, reject), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
