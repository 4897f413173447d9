import { randomBytes } from 'node:crypto';

/**
 * What the simulated WeCom knows and remembers: the app's credentials, issued
 * tokens and tickets, the members it accepts, every message it accepted
 * (in memory, queried by tests and the demo page) and the faults tests inject.
 */

export interface SimCredentials {
  corpId: string;
  secret: string;
  agentId: number;
}

export type SentApi = 'message/send' | 'appchat/send' | 'webhook/send';

/** A response code: one use of message/update_template_card for these members' cards of one task, until `expiresAt` (ms). */
export interface ResponseCode {
  taskId: string;
  userids: string[];
  expiresAt: number;
  used: boolean;
}

/** How long a response code lasts (docs/wecom.md §8: WeCom's texts say 24 h and, later, 72 h; the simulator holds the shorter). */
export const RESPONSE_CODE_TTL_MS = 24 * 3600_000;

/** Where the simulated WeCom delivers callbacks (the app's callback URL and its credentials). */
export interface CallbackTarget {
  url: string;
  token: string;
  encodingAesKey: string;
}

export interface SentRecord {
  seq: number;
  at: string;
  api: SentApi;
  /** message/send: the accepted userids (lower-cased, invalid ones removed); appchat: members. */
  touser: string[];
  chatid?: string;
  /** webhook/send: the robot key the message went to (never shown to browsers). */
  robotKey?: string;
  msgtype: string;
  /** The message object, e.g. { content } for text. */
  body: Record<string, unknown>;
  msgid: string;
}

export type FaultKind = 'http500' | 'timeout' | 'errcode';

export interface Fault {
  /** API path such as 'message/send', or '*' for every API. */
  api: string;
  kind: FaultKind;
  /** How many calls it hits. */
  count: number;
  errcode?: number;
  /** timeout: how long the answer is held back (ms). */
  delayMs?: number;
  /** timeout: the message is accepted (recorded) before the answer is held back. */
  recordFirst?: boolean;
}

export interface Chat {
  chatid: string;
  name: string;
  owner: string;
  userlist: string[];
}

export const TOKEN_TTL_SECONDS = 7200;

export class SimulatorState {
  readonly sent: SentRecord[] = [];
  /** Calls per API, including refused ones (tests count gettoken). */
  readonly calls = new Map<string, number>();
  readonly faults: Fault[] = [];
  readonly chats = new Map<string, Chat>();
  readonly oauthCodes = new Map<string, string>();
  /** Media by media_id: app media (media/get) and group robots' uploads (robotKey: the robot that may send it). */
  readonly media = new Map<string, { data: Buffer; contentType: string; filename: string; robotKey?: string }>();
  /** The app menu as menu/create last set it. */
  menu: unknown[] | null = null;
  /** Response codes issued by message/send (interactive cards) and by card taps. */
  readonly responseCodes = new Map<string, ResponseCode>();
  /** Interactive cards' button text after an update, by task id and member. */
  readonly cardButtons = new Map<string, string>();
  /** Where events are delivered (tests and the demo set it). */
  callback: CallbackTarget | null = null;
  /** Robot webhook sends per key per minute window. */
  readonly robotWindows = new Map<string, { window: number; count: number }>();
  /** Access tokens and tickets: value → expiry (ms). */
  private readonly tokens = new Map<string, number>();
  private seq = 0;
  private staticUsers: Set<string> | null = null;
  private staticRobotKeys: Set<string> | null = null;

  constructor(
    readonly creds: SimCredentials,
    /** Optional live source of valid userids / robot keys (demo: the roster in PostgreSQL). */
    private readonly sources: { users?: () => Promise<string[]>; robotKeys?: () => Promise<string[]> } = {},
  ) {}

  countCall(api: string): void {
    this.calls.set(api, (this.calls.get(api) ?? 0) + 1);
  }

  issueToken(kind: 'token' | 'ticket', now: number): string {
    const value = `${kind}-${randomBytes(24).toString('hex')}`;
    this.tokens.set(value, now + TOKEN_TTL_SECONDS * 1000);
    return value;
  }

  /** 0 valid, 40014 unknown, 42001 expired (WeCom's codes). */
  checkToken(value: string | undefined, now: number): 0 | 40014 | 42001 {
    const exp = value === undefined ? undefined : this.tokens.get(value);
    if (exp === undefined) return 40014;
    return exp <= now ? 42001 : 0;
  }

  /** Every issued token answers 42001 from now on (WeCom may expire tokens early). */
  expireTokens(): void {
    for (const k of this.tokens.keys()) this.tokens.set(k, 0);
  }

  /** Every issued token answers 40014 from now on. */
  forgetTokens(): void {
    this.tokens.clear();
  }

  setUsers(userids: string[] | null): void {
    this.staticUsers = userids === null ? null : new Set(userids.map((u) => u.toLowerCase()));
  }

  setRobotKeys(keys: string[] | null): void {
    this.staticRobotKeys = keys === null ? null : new Set(keys);
  }

  /** The members WeCom knows, or null when any userid is accepted. */
  async validUsers(): Promise<Set<string> | null> {
    if (this.staticUsers) return this.staticUsers;
    if (this.sources.users) return new Set((await this.sources.users()).map((u) => u.toLowerCase()));
    return null;
  }

  async validRobotKey(key: string): Promise<boolean> {
    if (this.staticRobotKeys) return this.staticRobotKeys.has(key);
    if (this.sources.robotKeys) return (await this.sources.robotKeys()).includes(key);
    return key.length > 0;
  }

  addFault(f: Fault): void {
    this.faults.push({ ...f });
  }

  /** The first fault for this API with calls left, used up by one. */
  takeFault(api: string): Fault | undefined {
    const f = this.faults.find((x) => x.count > 0 && (x.api === '*' || x.api === api));
    if (f) f.count -= 1;
    return f;
  }

  issueResponseCode(taskId: string, userids: string[], now: number): string {
    const code = `RC${randomBytes(16).toString('hex')}`;
    this.responseCodes.set(code, { taskId, userids: userids.map((u) => u.toLowerCase()), expiresAt: now + RESPONSE_CODE_TTL_MS, used: false });
    return code;
  }

  /** A card's button for a member after updates: the replaced text, or undefined while unchanged. */
  buttonOf(taskId: string, userid: string): string | undefined {
    return this.cardButtons.get(`${taskId}|${userid.toLowerCase()}`);
  }

  record(r: Omit<SentRecord, 'seq' | 'at' | 'msgid'>, now: number): SentRecord {
    const rec: SentRecord = { ...r, seq: ++this.seq, at: new Date(now).toISOString(), msgid: randomBytes(12).toString('hex') };
    this.sent.push(rec);
    return rec;
  }

  /** WeCom's enable_duplicate_check: the same message to the same people within the interval. */
  isDuplicate(r: { api: SentApi; touser: string[]; msgtype: string; body: Record<string, unknown> }, now: number, intervalS: number): boolean {
    const sig = JSON.stringify(r.body);
    return this.sent.some(
      (s) =>
        s.api === r.api && s.msgtype === r.msgtype && JSON.stringify(s.body) === sig &&
        s.touser.join('|') === r.touser.join('|') && now - Date.parse(s.at) < intervalS * 1000,
    );
  }

  query(q: { touser?: string; chatid?: string; robotKey?: string; since?: number; api?: string }): SentRecord[] {
    const u = q.touser?.toLowerCase();
    return this.sent.filter(
      (s) =>
        (q.since === undefined || s.seq > q.since) &&
        (q.api === undefined || s.api === q.api) &&
        (u === undefined || s.touser.includes(u)) &&
        (q.chatid === undefined || s.chatid === q.chatid) &&
        (q.robotKey === undefined || s.robotKey === q.robotKey),
    );
  }

  reset(): void {
    this.sent.length = 0;
    this.calls.clear();
    this.faults.length = 0;
    this.robotWindows.clear();
    this.responseCodes.clear();
    this.cardButtons.clear();
  }
}
