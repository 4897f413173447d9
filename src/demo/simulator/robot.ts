import { randomBytes } from 'node:crypto';
import getRawBody from 'raw-body';
import type { SimulatorState } from './state';
import { q } from './control';
import { contentTooLong, fail, ok, TEXT_LIMIT_BYTES, type Body, type RegisterApi } from './answers';

/**
 * A group robot's webhook as the simulator answers it: webhook/send (20 a
 * minute per robot; text, markdown and file messages) and webhook/upload_media
 * (a file a later send names by media_id), keyed by the robot key
 * (docs/wecom.md §4).
 */

const ROBOT_MARKDOWN_LIMIT_BYTES = 4096;
const ROBOT_PER_MINUTE = 20;
/** webhook/upload_media: more than 5 bytes, at most 20 MB (docs/wecom.md §4). */
const ROBOT_FILE_MIN_BYTES = 6;
const ROBOT_FILE_MAX_BYTES = 20 * 1024 * 1024;

export function registerRobotApi(api: RegisterApi, state: SimulatorState): void {
  api('post', 'webhook/send', false, async (ctx, body, now) => {
    const key = q(ctx, 'key') ?? '';
    if (!(await state.validRobotKey(key))) return fail(93000, 'invalid webhook url');
    const window = Math.floor(now / 60_000);
    const w = state.robotWindows.get(key);
    const count = w && w.window === window ? w.count : 0;
    if (count >= ROBOT_PER_MINUTE) return fail(45009, 'api freq out of limit');
    state.robotWindows.set(key, { window, count: count + 1 });
    const msgtype = String(body.msgtype ?? '');
    const content = body[msgtype] as Body | undefined;
    if (typeof content !== 'object' || content === null) return fail(40008, 'invalid message type');
    const tooLong = contentTooLong(msgtype, content, msgtype === 'markdown' ? ROBOT_MARKDOWN_LIMIT_BYTES : TEXT_LIMIT_BYTES);
    if (tooLong) return tooLong;
    if (msgtype === 'file') {
      // The file arrives as the robot uploaded it; the record names it for tests and the demo page.
      const media = state.media.get(String(content.media_id ?? ''));
      if (!media || media.robotKey !== key) return fail(40007, 'invalid media_id');
      state.record({ api: 'webhook/send', touser: [], robotKey: key, msgtype, body: { ...content, filename: media.filename, size: media.data.length } }, now);
      return ok();
    }
    state.record({ api: 'webhook/send', touser: [], robotKey: key, msgtype, body: content }, now);
    return ok();
  });

  /** A group robot's upload (multipart/form-data, field `media`): a media_id its webhook/send can name. */
  api('post', 'webhook/upload_media', false, async (ctx, _b, now) => {
    const key = q(ctx, 'key') ?? '';
    if (!(await state.validRobotKey(key))) return fail(93000, 'invalid webhook url');
    if (q(ctx, 'type') !== 'file' && q(ctx, 'type') !== 'voice') return fail(40004, 'invalid media type');
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(ctx.get('content-type'))?.slice(1).find(Boolean);
    if (!boundary) return fail(40005, 'invalid file type');
    const part = formFile(await getRawBody(ctx.req, { limit: ROBOT_FILE_MAX_BYTES + 64 * 1024 }), boundary, 'media');
    if (!part) return fail(41001, 'missing media');
    if (part.data.length < ROBOT_FILE_MIN_BYTES || part.data.length > ROBOT_FILE_MAX_BYTES) return fail(40006, 'invalid file size');
    const mediaId = `robot-${randomBytes(12).toString('hex')}`;
    state.media.set(mediaId, { data: part.data, contentType: part.contentType, filename: part.filename, robotKey: key });
    return ok({ type: 'file', media_id: mediaId, created_at: String(Math.floor(now / 1000)) });
  });
}

/** The file of one field of a multipart/form-data body, or null. */
function formFile(body: Buffer, boundary: string, field: string): { filename: string; contentType: string; data: Buffer } | null {
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(at + delimiter.length, next);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    if (split >= 0 && new RegExp(`name="${field}"`).test(head)) {
      return {
        filename: /filename="([^"]*)"/.exec(head)?.[1] ?? '',
        contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream',
        data: part.subarray(split + 4, part.length - 2), // the CRLF before the next delimiter
      };
    }
    at = next;
  }
  return null;
}

