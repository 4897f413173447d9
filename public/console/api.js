// JSON calls to /console/api. A 401 sends the browser back through login.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path, params = {}, init = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, v === true ? '1' : v);
  const url = `/console/api${path}${q.size ? `?${q}` : ''}`;
  const res = await fetch(url, { credentials: 'same-origin', ...init, headers: { Accept: 'application/json', ...(init.headers || {}) } });
  if (res.status === 401) {
    location.href = '/console';
    throw new ApiError(401, '登录已失效');
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.message || `请求失败（${res.status}）`);
  return body;
}

export function post(path, body) {
  return api(path, {}, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
}

export function exportUrl(kind, params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v));
  return `/console/api/export/${kind}.xlsx?${q}`;
}
