import type { DataSource } from 'typeorm';
import type { WecomConfig } from '../../config';
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
      users: async () => (await db.query('SELECT userid FROM cadres WHERE active')).map((r: { userid: string }) => r.userid),
      robotKeys: async () => (await db.query('SELECT robot_key FROM groups')).map((r: { robot_key: string }) => r.robot_key),
    },
  );
}
