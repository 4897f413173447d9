import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { isAppError } from '../src/lib/errors';
import type { Metrics } from '../src/metrics';
import { findCadreByUserid, isLeader } from '../src/services/people/cadres';
import type { Command, CommandEnv } from './command';
import { COMMANDS, commandNames } from './commands';
import { createConversation, type PendingPick } from './conversation';
import { NeedChoice } from './errors';
import { EVENT_HANDLERS } from './events';
import { MESSAGE_HANDLERS } from './messages';
import { createParser } from './parser';
import { fitReply } from './text';
import type { Bot, BotContext, BotReply, IncomingMessage } from '../src/services/inbound/bot-port';

/**
 * The chat dispatcher: sender check, parse, one command, one reply. Each
 * command runs in a savepoint of the pipeline's transaction, so a refused or
 * failed command leaves nothing half-recorded.
 */

const NOT_ON_ROSTER = '您好，您不在双联花名册中（或已停用），暂时无法使用双联助手。如有疑问请联系本单位双联办。';
const LEADERS_ONLY = (name: string) => `“${name}”仅限领导使用。发送“帮助”查看您可以使用的指令。`;
const BAD_ARGS = (problem: string, usage: string) => `${problem}。正确格式：${usage}`;
const NO_PENDING = '没有待选择的列表。发送“帮助”查看全部指令。';
const PICK_RANGE = (n: number) => `请回复1到${n}之间的序号。`;
const UNSUPPORTED = '暂不支持此类消息。请发送文字指令或位置，发送“帮助”查看全部指令。';
const PICK_TAIL = '（回复序号即可，10分钟内有效）';

export interface BotDeps {
  redis: Redis;
  logger: Logger;
  /** Prefix for this bot's Redis keys (tests use their own). */
  keyPrefix?: string;
  /** The command list; defaults to every command. */
  commands?: Command<unknown>[];
  /** chat_commands_total{command, result}: ok, bad_args, choice, refused, leaders_only, failed. */
  metrics?: Pick<Metrics, 'chatCommands'>;
}

export function createBot(deps: BotDeps): Bot {
  const commands = deps.commands ?? COMMANDS;
  const byName = new Map(commands.map((c) => [c.name, c]));
  const parser = createParser(commandNames(commands));
  const log = deps.logger.child({ area: 'chat' });
  const conversation = createConversation(deps.redis, deps.keyPrefix ?? '', log);

  const count = (command: string, result: string) => deps.metrics?.chatCommands.inc({ command, result });

  async function run(cmd: Command<unknown>, argsText: string, env: CommandEnv): Promise<string> {
    if (cmd.leaderOnly && !isLeader(env.cadre)) {
      count(cmd.name, 'leaders_only');
      log.info({ userId: env.cadre.userid, command: cmd.name }, 'command denied: leaders only');
      return LEADERS_ONLY(cmd.name);
    }
    const parsed = cmd.args.safeParse(argsText);
    if (!parsed.success) {
      count(cmd.name, 'bad_args');
      return BAD_ARGS(parsed.error.issues[0]?.message ?? '格式有误', cmd.usage);
    }
    try {
      const reply = await env.manager.transaction((manager) => cmd.handle(parsed.data, { ...env, manager }));
      count(cmd.name, 'ok');
      return reply;
    } catch (e) {
      if (e instanceof NeedChoice) {
        count(cmd.name, 'choice');
        const pick: PendingPick = { command: cmd.name, args: argsText, kind: e.kind, ids: e.options.map((o) => o.id) };
        await conversation.save(env.cadre.userid, pick);
        return [e.prompt, ...e.options.map((o, i) => `${i + 1}. ${o.label}`), PICK_TAIL].join('\n');
      }
      if (isAppError(e)) {
        count(cmd.name, 'refused');
        log.info({ userId: env.cadre.userid, command: cmd.name, code: e.code }, 'command refused');
        return e.userMessage;
      }
      count(cmd.name, 'failed');
      throw e;
    }
  }

  async function text(content: string, env: CommandEnv): Promise<string> {
    const p = parser.parse(content);
    if (p.kind === 'error') return p.message;
    if (p.kind === 'command') {
      await conversation.clear(env.cadre.userid);
      return run(byName.get(p.command)!, p.args, env);
    }
    const pending = await conversation.load(env.cadre.userid);
    const cmd = pending && byName.get(pending.command);
    if (!pending || !cmd) return NO_PENDING;
    if (p.index < 1 || p.index > pending.ids.length) return PICK_RANGE(pending.ids.length);
    await conversation.clear(env.cadre.userid);
    try {
      return await run(cmd, pending.args, { ...env, picked: { kind: pending.kind, id: pending.ids[p.index - 1] } });
    } catch (e) {
      // The message will be retried: it must still find its list.
      await conversation.save(env.cadre.userid, pending);
      throw e;
    }
  }

  return {
    async handle(msg: IncomingMessage, ctx: BotContext) {
      const onEvent = msg.msgType === 'event' ? EVENT_HANDLERS.get(msg.event ?? '') : undefined;
      if (msg.msgType === 'event' && !onEvent) return null;
      const cadre = await findCadreByUserid(ctx.manager, msg.fromUser);
      if (!cadre || !cadre.active) {
        log.info({ userId: msg.fromUser, msgId: msg.msgId, event: msg.event }, 'message from a sender not on the roster');
        // Opening the app is not a message: no refusal each time someone off the roster does it.
        return msg.event === 'enter_agent' ? null : { text: NOT_ON_ROSTER };
      }
      const env: CommandEnv = { manager: ctx.manager, now: ctx.now, cadre, redis: deps.redis, logger: log };
      let reply: string | BotReply | null;
      if (onEvent) reply = await onEvent(msg, env, { text: (content) => text(content, env) });
      else if (msg.msgType === 'text') reply = await text(msg.content ?? '', env);
      else {
        const handler = MESSAGE_HANDLERS.get(msg.msgType);
        reply = handler ? await handler(msg, env) : UNSUPPORTED;
      }
      if (reply === null) return null;
      return typeof reply === 'string' ? { text: fitReply(reply) } : { ...reply, text: fitReply(reply.text) };
    },
  };
}
