import type { WecomConfig } from './wecom/client';
import { createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * The only reader of process.env (docs/architecture.md). docs/design.md §4 is the contract
 * for the names and defaults; the extra variables below it have safe defaults.
 */

/**
 * Demo mode talks only to the built-in simulator, mounted on the server itself at
 * /wecom-sim so a separate worker process reaches the same one. These values are
 * not secrets: nothing outside the simulator accepts them.
 */
export const DEMO_WECOM = {
  corpId: 'wwdemo0000000000sl',
  agentId: 1000002,
  secret: 'demo-secret-for-the-local-simulator',
  token: 'DemoToken2026',
  encodingAesKey: 'DemoEncodingAesKeyForTheLocalSimulator12345',
} as const;
export const SIMULATOR_MOUNT = '/wecom-sim';
/** ADMIN_TOKEN in demo mode when none is set: printed at start-up and linked from the demo's home page. */
export const DEMO_ADMIN_TOKEN = 'demo-admin-token';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .default('postgres://postgres@127.0.0.1:5432/shuanglian')
      .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL'),
    REDIS_URL: z
      .string()
      .default('redis://127.0.0.1:6379')
      .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// URL'),
    WECOM_CORP_ID: optionalText,
    WECOM_AGENT_ID: optionalText.pipe(
      z.string().regex(/^\d+$/, 'must be the numeric AgentId').optional(),
    ),
    WECOM_SECRET: optionalText,
    WECOM_TOKEN: optionalText.pipe(
      z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1–32 letters or digits').optional(),
    ),
    WECOM_ENCODING_AES_KEY: optionalText.pipe(
      z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be exactly 43 letters or digits').optional(),
    ),
    WECOM_API_BASE: optionalText.pipe(z.url().optional()),
    ADMIN_TOKEN: optionalText.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
    TZ: z
      .string()
      .default('Asia/Shanghai')
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    PUBLIC_URL: optionalText.pipe(
      z.url({ protocol: /^https?$/, error: 'must be the app\'s external http(s) URL, such as https://sl.example.gov.cn' }).optional(),
    ),
    TRUST_PROXY: optionalText.pipe(z.enum(['on', 'off', 'true', 'false', '1', '0'], 'must be on or off').optional()),
    HOST: optionalText.pipe(z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be an address to listen on, such as 0.0.0.0 or 127.0.0.1').optional()),
    // Beyond docs/design.md §4: operational knobs with defaults.
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // /metrics on a port of its own (for the monitoring network only); unset: /metrics on PORT behind ADMIN_TOKEN.
    METRICS_PORT: optionalText.pipe(z.string().regex(/^\d{1,5}$/, 'must be a port number').transform(Number)
      .pipe(z.number().int().min(1, 'must be a port number').max(65535, 'must be a port number')).optional()),
    SESSION_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    DATA_DIR: z.string().default('data'),
    // Callbacks one server process answers with the chat's reply inline; beyond that the
    // message goes to the inbound worker and its reply through the outbox (src/services/inbound/messages.ts).
    CHAT_INLINE_LIMIT: z.coerce.number().int().min(0).max(1000).default(2),
    // How long an outbox send may take before the row is taken again (its worker died mid-send).
    // Longer than three WeCom request timeouts (10 s each), so a slow send is never doubled.
    OUTBOX_SENDING_LEASE_SECONDS: z.coerce.number().int().min(30).max(3600).default(120),
    // Photo storage in S3-compatible object storage (e.g. MinIO); all or none, else the local DATA_DIR.
    S3_ENDPOINT: optionalText.pipe(z.url().optional()),
    S3_BUCKET: optionalText.pipe(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name').optional()),
    S3_ACCESS_KEY_ID: optionalText,
    S3_SECRET_ACCESS_KEY: optionalText,
    S3_REGION: z.string().trim().min(1).default('us-east-1'),
  })
  .superRefine((env, ctx) => {
    const creds = WECOM_CREDENTIALS.filter((k) => env[k] !== undefined);
    if (creds.length > 0 && creds.length < WECOM_CREDENTIALS.length) {
      for (const k of WECOM_CREDENTIALS.filter((k) => env[k] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: 'missing: set all WECOM_* credentials, or none for demo mode',
        });
      }
    }
    const s3 = S3_SETTINGS.filter((k) => env[k] !== undefined);
    if (s3.length > 0 && s3.length < S3_SETTINGS.length) {
      for (const k of S3_SETTINGS.filter((k) => env[k] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [k], message: 'missing: set all S3_* settings, or none for local photo storage' });
      }
    }
    if (creds.length === WECOM_CREDENTIALS.length && !env.ADMIN_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_TOKEN'], message: 'required outside demo mode' });
    }
    if (creds.length === WECOM_CREDENTIALS.length && !env.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom', path: ['PUBLIC_URL'],
        message: 'required with the WECOM_* credentials: the app\'s external https URL (OAuth redirects and links are built from it)',
      });
    }
  });

const WECOM_CREDENTIALS = [
  'WECOM_CORP_ID',
  'WECOM_AGENT_ID',
  'WECOM_SECRET',
  'WECOM_TOKEN',
  'WECOM_ENCODING_AES_KEY',
] as const;

const S3_SETTINGS = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

export interface S3Config {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type { WecomConfig };

export interface Config {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** True when no WECOM_* credentials are set: the built-in simulator stands in for WeCom. */
  demo: boolean;
  wecom: WecomConfig;
  adminToken: string;
  timeZone: string;
  logLevel: string;
  /**
   * The app's external URL without a trailing slash: every external link and OAuth redirect
   * is built from it, never from a request header. PUBLIC_URL, or in demo mode the
   * listen address (loopback when listening on every interface).
   */
  publicUrl: string;
  /** Cookies are marked Secure whatever the request says (PUBLIC_URL is https). */
  secureCookies: boolean;
  /** Trust X-Forwarded-* from a reverse proxy (TRUST_PROXY). */
  trustProxy: boolean;
  /** The address to listen on (HOST): every interface, or loopback in demo mode. */
  host: string;
  /** /metrics on a port of its own; absent: on `port`, behind ADMIN_TOKEN. */
  metricsPort?: number;
  sessionSecret: string;
  dataDir: string;
  /** Messages one server process processes inside their callbacks at once (passive replies); 0 = always the worker. */
  chatInlineLimit: number;
  /** OUTBOX_SENDING_LEASE_SECONDS in ms: a 'sending' outbox row older than this is sent again. */
  outboxSendingLeaseMs: number;
  /** Photo storage in S3-compatible object storage; absent = files under dataDir. */
  s3?: S3Config;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
  }
}

/** The URL this process answers on: a wildcard address is reached through loopback. */
export function listenUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Parses the environment; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const demo = WECOM_CREDENTIALS.every((k) => e[k] === undefined);
  const wecom: WecomConfig = demo
    ? { ...DEMO_WECOM, apiBase: e.WECOM_API_BASE ?? `http://127.0.0.1:${e.PORT}${SIMULATOR_MOUNT}` }
    : {
        corpId: e.WECOM_CORP_ID!,
        agentId: Number(e.WECOM_AGENT_ID),
        secret: e.WECOM_SECRET!,
        token: e.WECOM_TOKEN!,
        encodingAesKey: e.WECOM_ENCODING_AES_KEY!,
        apiBase: e.WECOM_API_BASE ?? 'https://qyapi.weixin.qq.com',
      };
  const host = e.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0');
  const publicUrl = (e.PUBLIC_URL ?? listenUrl(host, e.PORT)).replace(/\/+$/, '');
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    demo,
    wecom,
    adminToken: e.ADMIN_TOKEN ?? (demo ? DEMO_ADMIN_TOKEN : ''),
    timeZone: e.TZ,
    logLevel: e.LOG_LEVEL,
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    trustProxy: e.TRUST_PROXY === 'on' || e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    host,
    metricsPort: e.METRICS_PORT,
    // Stable across processes without a new required variable: derived from the app secret.
    sessionSecret:
      e.SESSION_SECRET ?? createHmac('sha256', wecom.secret).update(`session:${e.ADMIN_TOKEN ?? ''}`).digest('hex'),
    dataDir: e.DATA_DIR,
    chatInlineLimit: e.CHAT_INLINE_LIMIT,
    outboxSendingLeaseMs: e.OUTBOX_SENDING_LEASE_SECONDS * 1000,
    s3: e.S3_ENDPOINT
      ? { endpoint: e.S3_ENDPOINT, bucket: e.S3_BUCKET!, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY!, region: e.S3_REGION }
      : undefined,
  };
}
