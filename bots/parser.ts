import { Converter } from 'opencc-js';
import { quote } from './text';

/**
 * Turns what people type on phones into a command and its argument text.
 * Never throws: anything unrecognisable becomes a helpful Chinese error.
 */

const UNKNOWN = (q: string) => `未能识别${q}。发送“帮助”查看全部指令，例如：签到 丁门村`;
const EMPTY = '请发送文字指令，例如：签到 丁门村。发送“帮助”查看全部指令。';

export type ParseResult =
  | { kind: 'command'; command: string; args: string }
  | { kind: 'pick'; index: number }
  | { kind: 'error'; message: string };

export interface Parser {
  parse(text: string): ParseResult;
  normalize(text: string): string;
}

// Emoji, their modifiers and joiners, regional-indicator flags, keycaps.
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d\ufe0e\ufe0f\u20e3]/gu;
// C0/C1 controls, zero-width and bidi marks, the BOM, unpaired surrogates.
const INVISIBLE = /[\p{Cc}\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\ufeff]|\p{Cs}/gu;
const TRAILING_PUNCT = /[\s.。!！?？~～、,，;；…·]+$/u;
// What may sit between the verb and its argument: spaces, colons, commas.
const AFTER_VERB = /^[\s:：,，、.。]+/u;

/**
 * @param names every command name and alias → the command's canonical name.
 */
export function createParser(names: ReadonlyMap<string, string>): Parser {
  const toSimplified = Converter({ from: 't', to: 'cn' });
  // Longest first, so 签到 is not shadowed by a shorter alias that prefixes it.
  const verbs = [...names.keys()].sort((a, b) => b.length - a.length);

  function normalize(text: string): string {
    let s = halfWidth(String(text ?? '').replace(INVISIBLE, ' ').replace(EMOJI, ' '));
    s = toSimplified(s);
    s = s.replace(/\s+/gu, ' ').trim();
    // a lone "?" is the help command, so punctuation is only trimmed off something
    return s.replace(TRAILING_PUNCT, '') || s;
  }

  function parse(text: string): ParseResult {
    const s = normalize(text);
    if (!s) return { kind: 'error', message: EMPTY };
    if (/^\d{1,2}$/.test(s)) return { kind: 'pick', index: Number(s) };
    const verb = verbs.find((v) => s.toLowerCase().startsWith(v.toLowerCase()));
    if (!verb) return { kind: 'error', message: UNKNOWN(quote(s)) };
    return { kind: 'command', command: names.get(verb)!, args: s.slice(verb.length).replace(AFTER_VERB, '').trim() };
  }

  return { parse, normalize };
}

/**
 * Full-width letters, digits and the ideographic space → half-width. Chinese
 * punctuation (，：？) stays as typed: it is part of notes people write, and
 * the verb separators accept both widths.
 */
function halfWidth(s: string): string {
  return s
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0d\uff0f]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u3000\u00a0\u2000-\u200a\u202f\u205f]/gu, ' ');
}
