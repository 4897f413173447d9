import {
  authorizeUrl, createOAuthState, createSessionToken, readOAuthState, readSessionToken, SESSION_TTL_MS, STATE_TTL_MS, stateMatchesCookie,
} from '../../../src/auth/session';

const SECRET = 'a-session-secret-for-tests';
const now = new Date('2026-11-23T02:00:00Z');

describe('session token', () => {
  test('round-trips the cadre id and session version until it expires', () => {
    const token = createSessionToken(SECRET, 42, now, 3);
    expect(readSessionToken(SECRET, token, now)).toEqual({ cadreId: 42, sessionVersion: 3 });
    expect(readSessionToken(SECRET, token, new Date(now.getTime() + SESSION_TTL_MS - 1))).toEqual({ cadreId: 42, sessionVersion: 3 });
    expect(readSessionToken(SECRET, token, new Date(now.getTime() + SESSION_TTL_MS))).toBeNull();
  });

  test('rejects another secret, a changed id and garbage', () => {
    const token = createSessionToken(SECRET, 42, now);
    expect(readSessionToken('another-secret-value', token, now)).toBeNull();
    expect(readSessionToken(SECRET, token.replace(/^42\./, '43.'), now)).toBeNull();
    expect(readSessionToken(SECRET, token.replace(/^42\.0\./, '42.1.'), now)).toBeNull();
    expect(readSessionToken(SECRET, 'x', now)).toBeNull();
    expect(readSessionToken(SECRET, undefined, now)).toBeNull();
  });
});

describe('OAuth state', () => {
  test('carries the target, fits WeCom\'s 128 bytes and expires', () => {
    const state = createOAuthState(SECRET, 'h', now);
    expect(state.length).toBeLessThanOrEqual(128);
    expect(readOAuthState(SECRET, state, now)).toBe('h');
    expect(readOAuthState(SECRET, state, new Date(now.getTime() + STATE_TTL_MS))).toBeNull();
    expect(readOAuthState(SECRET, state.replace(/^h/, 'c'), now)).toBeNull();
  });

  test('two states differ (nonce)', () => {
    expect(createOAuthState(SECRET, 'c', now)).not.toBe(createOAuthState(SECRET, 'c', now));
  });

  test('matches only the state its browser\'s cookie holds', () => {
    const state = createOAuthState(SECRET, 'c', now);
    expect(stateMatchesCookie(state, state)).toBe(true);
    expect(stateMatchesCookie(state, createOAuthState(SECRET, 'c', now))).toBe(false);
    expect(stateMatchesCookie(state, undefined)).toBe(false);
    expect(stateMatchesCookie(state, '')).toBe(false);
  });
});

test('authorize URL follows docs/wecom.md §4', () => {
  const url = authorizeUrl({ corpId: 'wwCORP', agentId: 1000002, redirectUri: 'https://a.example/console/oauth?x=1', state: 'S' });
  expect(url).toBe('https://open.weixin.qq.com/connect/oauth2/authorize?appid=wwCORP&redirect_uri=https%3A%2F%2Fa.example%2Fconsole%2Foauth%3Fx%3D1'
    + '&response_type=code&scope=snsapi_base&state=S&agentid=1000002#wechat_redirect');
});
