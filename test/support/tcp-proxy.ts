import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy in front of a real service (PostgreSQL, Redis) that a
 * test can cut — every open connection reset and new ones refused — and
 * restore, to play an outage without touching the shared service.
 */
export interface TcpProxy {
  port: number;
  /** Resets every connection and refuses new ones until restore(). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    for (const s of sockets) s.resetAndDestroy();
    sockets.clear();
    await new Promise((resolve) => server.close(resolve));
  };
  await listen();
  return {
    get port() { return port; },
    cut: stop,
    restore: listen,
    close: async () => { if (server.listening) await stop(); },
  };
}
