import type { DataSource } from 'typeorm';
import type { WecomConfig } from '../../config';
import { activeUserids, groupRobots } from '../../services/people/directory';
import { SimulatorState } from './state';

/**
 * The simulator for demo mode: its members are the active roster cadres and
 * its robot keys those in the groups table, read from PostgreSQL on each call
 * so a freshly imported roster is known at once.
 */
export function demoSimulator(db: DataSource, wecom: WecomConfig): SimulatorState {
  return new SimulatorState(
    { corpId: wecom.corpId, secret: wecom.secret, agentId: wecom.agentId },
    {
      users: () => activeUserids(db),
      robotKeys: async () => (await groupRobots(db)).map((g) => g.robotKey),
    },
  );
}
