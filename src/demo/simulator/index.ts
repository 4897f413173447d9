import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { SimulatorState, type Fault, type SentRecord, type SimCredentials } from './state';
import { simulatorRouter } from './routes';

/**
 * The WeCom simulator: standalone on a loopback port for tests
 * (startSimulator), or mounted on the app at SIMULATOR_MOUNT in demo mode
 * (simulatorRouter with a prefix, see src/demo/routes.ts).
 */

export { SimulatorState, simulatorRouter };
export type { Fault, SentRecord, SimCredentials };

export interface RunningSimulator {
  /** Base URL to use as config.wecom.apiBase. */
  url: string;
  state: SimulatorState;
  /** Everything accepted so far. */
  sent: SentRecord[];
  faults: { add(f: Fault): void; clear(): void };
  close(): Promise<void>;
}

export async function startSimulator(opts: {
  creds: SimCredentials;
  port?: number;
  users?: string[];
  robotKeys?: string[];
}): Promise<RunningSimulator> {
  const state = new SimulatorState(opts.creds);
  if (opts.users) state.setUsers(opts.users);
  if (opts.robotKeys) state.setRobotKeys(opts.robotKeys);
  const app = new Koa();
  const router = simulatorRouter(state, { control: true });
  app.use(router.routes()).use(router.allowedMethods());
  const server = app.listen(opts.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    sent: state.sent,
    faults: { add: (f) => state.addFault(f), clear: () => void (state.faults.length = 0) },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
