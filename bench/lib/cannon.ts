import autocannon from 'autocannon';

/** One autocannon run: POSTs built per request by `next()`, for a fixed time. */
export interface LoadResult {
  connections: number;
  seconds: number;
  ok: number;
  errors: number;
  rate: number;
  p50: number;
  p99: number;
}

export async function runLoad(
  url: string,
  connections: number,
  seconds: number,
  next: () => { path: string; body: string },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        setupRequest: (req) => ({ ...req, ...next() }),
      },
    ],
  });
  const ok = result['2xx'];
  return {
    connections,
    seconds: result.duration,
    ok,
    errors: result.non2xx + result.errors + result.timeouts,
    rate: Math.round(ok / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}
