import { MENU_COMMANDS } from '../menu';
import { handleLocation } from '../messages/location';
import type { EventHandler } from './handler';

/**
 * Menu taps (docs/wecom.md §8). A click runs the command its key stands for,
 * with the reply, records and refusals of the typed text. location_select
 * carries the picked place and checks in like a shared location.
 * pic_photo_or_album only says the picker was opened: the pictures themselves
 * arrive as image messages and are attached like any photo.
 */

const UNKNOWN_KEY = '该菜单已更新，请退出后重新进入应用。发送“帮助”查看全部指令。';

export const handleMenuClick: EventHandler = async (msg, env, chat) => {
  const command = MENU_COMMANDS.get(msg.eventKey ?? '');
  if (!command) {
    env.logger.info({ userId: env.cadre.userid, key: msg.eventKey }, 'unknown menu key');
    return UNKNOWN_KEY;
  }
  return chat.text(command);
};

export const handleLocationSelect: EventHandler = (msg, env) => handleLocation(msg, env);

export const handlePhotoPicker: EventHandler = async () => null;
