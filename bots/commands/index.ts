import type { Command } from '../command';
import ack from './ack';
import attach from './attach';
import checkin from './checkin';
import checkout from './checkout';
import close from './close';
import daily from './daily';
import diary from './diary';
import { createHelp } from './help';
import notify from './notify';
import problems from './problems';
import progress from './progress';
import reopen from './reopen';
import report from './report';
import stats from './stats';
import undo from './undo';
import mustVisit from './must-visit';
import helpAct from './help-act';
import inspect from './inspect';
import { householdVisit, talk } from './household-visit';

/** Every chat command, in the order 帮助 lists them. Written out by hand: no folder scanning. */
export const COMMANDS: Command<unknown>[] = [
  checkin, checkout, householdVisit, talk, mustVisit, helpAct, report, close, reopen, attach, problems, diary, progress, ack, undo,
  daily, stats, notify, inspect,
];
COMMANDS.push(createHelp(() => COMMANDS));

/** Every name and alias → the command. */
export function commandNames(list: Command<unknown>[] = COMMANDS): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of list) for (const n of [c.name, ...c.aliases]) names.set(n, c.name);
  return names;
}
