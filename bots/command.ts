import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Cadre } from '../entities';
import type { ChoiceKind } from './errors';

/** What a command's handle() gets: the transaction, the time, the sender and the pick, if any. */
export interface CommandEnv {
  manager: EntityManager;
  now: Date;
  cadre: Cadre;
  redis: Redis;
  logger: Logger;
  /** Set when this run answers a numbered list ("1"/"2") the command asked for. */
  picked?: { kind: ChoiceKind; id: number };
}

/** One chat command: its Chinese names, how its argument text parses, and what it does. */
export interface Command<A = unknown> {
  /** Canonical Chinese name, e.g. 签到. */
  name: string;
  aliases: string[];
  /** The right form, shown on bad input and in 帮助, e.g. "签到 村名". */
  usage: string;
  /** One line for 帮助. */
  summary: string;
  /** Only 领导/管理员 may use it. */
  leaderOnly?: boolean;
  /** Parses the text after the verb; an issue's message is shown to the user. */
  args: z.ZodType<A, string>;
  /** Returns the reply text. */
  handle(args: A, env: CommandEnv): Promise<string>;
}

/** Erases the argument type for the hand-written list. */
export function defineCommand<A>(c: Command<A>): Command<unknown> {
  return c as unknown as Command<unknown>;
}
