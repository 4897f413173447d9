import { ConfigError, DEMO_WECOM, loadConfig } from '../../src/config';

const CREDS = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'secret-value',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  ADMIN_TOKEN: 'admin-token-123',
  PUBLIC_URL: 'https://sl.example.gov.cn',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('loadConfig', () => {
  test('defaults follow docs/design.md §4 and no credentials means demo mode', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/shuanglian');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.timeZone).toBe('Asia/Shanghai');
    expect(c.demo).toBe(true);
    expect(c.wecom.corpId).toBe(DEMO_WECOM.corpId);
    expect(c.wecom.apiBase).toBe('http://127.0.0.1:3000/wecom-sim');
  });

  test('full credentials mean production mode against the real API', () => {
    const c = loadConfig(CREDS);
    expect(c.demo).toBe(false);
    expect(c.wecom.agentId).toBe(1000002);
    expect(c.wecom.apiBase).toBe('https://qyapi.weixin.qq.com');
    expect(c.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig(CREDS).sessionSecret).toBe(c.sessionSecret);
  });

  test('OUTBOX_SENDING_LEASE_SECONDS: 2 minutes by default, never shorter than three WeCom request timeouts', () => {
    expect(loadConfig({}).outboxSendingLeaseMs).toBe(120_000);
    expect(loadConfig({ OUTBOX_SENDING_LEASE_SECONDS: '45' }).outboxSendingLeaseMs).toBe(45_000);
    expect(problems({ OUTBOX_SENDING_LEASE_SECONDS: '10' })).toEqual([expect.stringMatching(/^OUTBOX_SENDING_LEASE_SECONDS: /)]);
  });

  test('every bad value is reported, one line each', () => {
    const p = problems({ PORT: 'abc', TZ: 'Mars/Olympus', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x' });
    expect(p).toHaveLength(4);
    expect(p.join('\n')).toMatch(/PORT/);
    expect(p.join('\n')).toMatch(/TZ: must be an IANA time zone/);
    expect(p.join('\n')).toMatch(/DATABASE_URL: must be a postgres/);
  });

  test('partial credentials name each missing variable', () => {
    const p = problems({ WECOM_CORP_ID: 'ww1', WECOM_TOKEN: 'abc' });
    expect(p).toEqual(expect.arrayContaining([expect.stringMatching(/^WECOM_SECRET: missing/)]));
    expect(p.filter((l) => /missing/.test(l))).toHaveLength(3);
  });

  test('a malformed EncodingAESKey and a missing ADMIN_TOKEN stop production start-up', () => {
    const p = problems({ ...CREDS, WECOM_ENCODING_AES_KEY: 'short', ADMIN_TOKEN: '' });
    expect(p.join('\n')).toMatch(/WECOM_ENCODING_AES_KEY: must be exactly 43/);
    expect(p.join('\n')).toMatch(/ADMIN_TOKEN: required outside demo mode/);
  });

  test('PUBLIC_URL is required with the WeCom credentials: one line naming it, and it must be http(s)', () => {
    const { PUBLIC_URL: _omitted, ...withoutUrl } = CREDS;
    const p = problems(withoutUrl);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^PUBLIC_URL: required with the WECOM_\* credentials/);
    expect(problems({ ...CREDS, PUBLIC_URL: 'javascript:alert(1)' })).toEqual([expect.stringMatching(/^PUBLIC_URL: must be/)]);
    expect(loadConfig({ ...CREDS, PUBLIC_URL: 'https://sl.example.gov.cn/' }).publicUrl).toBe('https://sl.example.gov.cn');
  });

  test('HOST: every interface with credentials, loopback in demo mode, unless set', () => {
    expect(loadConfig(CREDS).host).toBe('0.0.0.0');
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(problems({ HOST: 'a b' })).toEqual([expect.stringMatching(/^HOST: must be an address/)]);
  });

  test('demo mode without PUBLIC_URL builds links from the listen address', () => {
    expect(loadConfig({ PORT: '3100' }).publicUrl).toBe('http://127.0.0.1:3100');
    expect(loadConfig({ PORT: '3100', HOST: '0.0.0.0' }).publicUrl).toBe('http://127.0.0.1:3100');
    expect(loadConfig({ PORT: '3100', HOST: '::' }).publicUrl).toBe('http://[::1]:3100');
    expect(loadConfig({ PORT: '3100', PUBLIC_URL: 'https://demo.example.cn' }).publicUrl).toBe('https://demo.example.cn');
  });

  test('TRUST_PROXY is off unless set; cookies are Secure whenever PUBLIC_URL is https', () => {
    expect(loadConfig(CREDS).trustProxy).toBe(false);
    expect(loadConfig({ ...CREDS, TRUST_PROXY: 'on' }).trustProxy).toBe(true);
    expect(problems({ TRUST_PROXY: 'maybe' })).toEqual([expect.stringMatching(/^TRUST_PROXY: must be on or off/)]);
    expect(loadConfig(CREDS).secureCookies).toBe(true);
    expect(loadConfig({}).secureCookies).toBe(false);
  });

  test('METRICS_PORT is a port or absent', () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(problems({ METRICS_PORT: '70000' })).toEqual([expect.stringMatching(/^METRICS_PORT: must be a port number/)]);
  });
});
