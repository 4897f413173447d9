import type { MenuButton } from '../src/wecom/client';

/**
 * The app's menu (自定义菜单, docs/wecom.md §8), created by `npm run wecom -- menu`.
 * Every tap does what a typed command does: a click button names the command
 * its key stands for; 签到 opens WeCom's location picker and the chosen place
 * checks in like a shared location; 拍照上报 opens the camera or album and the
 * pictures arrive as image messages. Names: ≤4 characters top level, ≤7 below.
 */

/** Menu key → the text a cadre would type for it. */
export const MENU_COMMANDS: ReadonlyMap<string, string> = new Map([
  ['checkout', '签退'],
  ['progress', '进度'],
  ['problems', '问题'],
  ['help', '帮助'],
]);

export const MENU_KEYS = { checkin: 'checkin', photo: 'photo' } as const;

export const APP_MENU: MenuButton[] = [
  { type: 'location_select', name: '签到', key: MENU_KEYS.checkin },
  { type: 'click', name: '签退', key: 'checkout' },
  {
    name: '更多',
    sub_button: [
      { type: 'click', name: '进度', key: 'progress' },
      { type: 'click', name: '问题', key: 'problems' },
      { type: 'pic_photo_or_album', name: '拍照上报', key: MENU_KEYS.photo },
      { type: 'click', name: '帮助', key: 'help' },
    ],
  },
];
