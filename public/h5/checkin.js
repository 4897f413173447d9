// H5 check-in: get a GCJ-02 fix (ww.getLocation inside WeCom, navigator.geolocation
// elsewhere), list the cadre's linked villages by distance, check in with one tap.
// The server re-checks the distance; what this page shows is only a guide.

const $ = (id) => document.getElementById(id);
const inWeCom = () => /wxwork/i.test(navigator.userAgent) && typeof window.ww !== 'undefined';

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== undefined) e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children.flat().filter((c) => c !== null && c !== undefined).map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return e;
}

async function json(url, init) {
  const res = await fetch(url, { credentials: 'same-origin', ...init });
  if (res.status === 401) { location.href = '/h5/checkin'; throw new Error('登录已失效'); }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message || `请求失败（${res.status}）`);
  return body;
}

async function weComFix() {
  const first = await json(`/h5/api/jssdk-config?url=${encodeURIComponent(location.href.split('#')[0])}`);
  window.ww.register({
    corpId: first.corpId,
    jsApiList: ['getLocation'],
    getConfigSignature: async (url) => {
      const c = url.split('#')[0] === location.href.split('#')[0] ? first : await json(`/h5/api/jssdk-config?url=${encodeURIComponent(url)}`);
      return { timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.signature };
    },
  });
  const r = await window.ww.getLocation({ type: 'gcj02' });
  return { latitude: r.latitude, longitude: r.longitude, accuracy: r.accuracy };
}

function browserFix() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('此浏览器不支持定位，请在企业微信中打开。'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy }),
      () => reject(new Error('无法获取位置：请允许定位权限后重试。')),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });
}

const metres = (d) => (d === null ? '未登记坐标' : d >= 1000 ? `${(d / 1000).toFixed(1)} 公里` : `${d} 米`);

async function checkIn(village, fix, button) {
  button.disabled = true;
  $('result').className = '';
  try {
    const r = await json('/h5/api/checkin', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ villageId: village.id, latitude: fix.latitude, longitude: fix.longitude }),
    });
    $('result').className = 'ok';
    $('result').textContent = r.message;
    button.textContent = '已签到';
  } catch (e) {
    $('result').className = 'fail';
    $('result').textContent = e.message;
    button.disabled = false;
  }
}

async function locate() {
  $('retry').hidden = true;
  $('result').textContent = '';
  $('fix').replaceChildren(el('p', { class: 'muted' }, '正在获取您的位置…'));
  try {
    const fix = inWeCom() ? await weComFix() : await browserFix();
    $('fix').replaceChildren(
      el('p', {}, '当前位置 ', el('b', {}, `${fix.latitude.toFixed(5)}, ${fix.longitude.toFixed(5)}`)),
      el('p', { class: 'muted' }, fix.accuracy ? `定位精度约 ${Math.round(fix.accuracy)} 米` : ''));
    const { villages } = await json(`/h5/api/villages?latitude=${fix.latitude}&longitude=${fix.longitude}`);
    $('villages').replaceChildren(villages.length === 0
      ? el('p', { class: 'card muted' }, '您还没有联系村，请联系双联办。')
      : el('ul', { class: 'list' }, villages.map((v) => {
        const button = el('button', { disabled: !v.inside, 'data-village': v.id }, v.inside ? '签到' : '超出范围');
        button.addEventListener('click', () => checkIn(v, fix, button));
        return el('li', { class: v.inside ? 'inside' : '' },
          el('div', {}, el('div', { class: 'name' }, v.name), el('div', { class: 'path' }, v.place),
            el('div', { class: 'dist' }, `距离 ${metres(v.distanceM)} · 签到范围 ${metres(v.radiusM)}`)),
          button);
      })));
  } catch (e) {
    $('fix').replaceChildren(el('p', { class: 'fail' }, e.message));
  }
  $('retry').hidden = false;
}

$('retry').addEventListener('click', locate);
json('/console/api/me').then((me) => { $('who').textContent = `${me.name}，您好！请在联系村内签到。`; }).catch(() => {});
locate();
