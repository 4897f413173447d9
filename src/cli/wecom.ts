import 'reflect-metadata';
import { Redis } from 'ioredis';
import { loadCliConfig, runCli } from './common';
import { createLogger } from '../lib/logger';
import { createWecomClient } from '../wecom/client';
import { APP_MENU } from '../../bots/menu';

/**
 * `npm run wecom -- menu` creates the app's menu (bots/menu.ts) through WeCom's
 * menu/create, replacing the one WeCom holds; the clients show it the next time
 * the app is opened. Exit 0 done, 1 WeCom refused it, 2 bad usage.
 */

const USAGE = 'usage: npm run wecom -- menu';

async function main(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0] !== 'menu') {
    process.stderr.write(`${argv[0] ? `unknown command: ${argv.join(' ')}` : 'no command'}\n${USAGE}\n`);
    return 2;
  }
  const config = loadCliConfig();
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const wecom = createWecomClient({ config: config.wecom, redis, logger: createLogger(config.logLevel) });
    await wecom.createMenu(APP_MENU);
    process.stdout.write(`menu created for agent ${config.wecom.agentId}: ${APP_MENU.map((b) => b.name).join(' | ')}\n`);
    return 0;
  } finally {
    redis.disconnect();
  }
}

runCli(module, main, { describe: (e) => `wecom command failed: ${(e as Error).message ?? String(e)}` });
