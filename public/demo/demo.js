// The demo chat page: plain ES module, no build step. The server encrypts and
// POSTs each message to /wecom/callback exactly as WeCom would.
const ROLE_ORDER = ['领导', '干部', '队员', '队长', '第一书记', '管理员'];
const SHORTCUTS = ['帮助', '进度', '问题', '签退', '日报', '统计'];
const POLL_MS = 2000;

const $ = (id) => document.getElementById(id);
const state = { people: [], me: null, since: 0, groupSince: 0, timer: null, busy: false };

function bubble(kind, text, tag) {
  const div = document.createElement('div');
  div.className = `msg ${kind}`;
  if (tag) {
    const t = document.createElement('span');
    t.className = 'tag';
    t.textContent = tag;
    div.append(t);
  }
  div.append(document.createTextNode(text));
  $('chat').append(div);
  $('chat').scrollTop = $('chat').scrollHeight;
}

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.message || `请求失败（${res.status}）`);
  return json;
}

function describe(p) {
  return [p.name, p.role, p.unit, p.scope].filter(Boolean).join(' · ');
}

async function loadPeople() {
  const { people } = await api('/demo/api/people');
  state.people = people;
  const select = $('person');
  select.textContent = '';
  select.append(new Option('— 请选择人员 —', ''));
  const roles = [...new Set(people.map((p) => p.role))].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
  for (const role of roles) {
    const group = document.createElement('optgroup');
    group.label = role;
    for (const p of people.filter((x) => x.role === role)) group.append(new Option(describe(p), p.userid));
    select.append(group);
  }
}

function choose(userid) {
  state.me = state.people.find((p) => p.userid === userid) ?? null;
  state.since = 0;
  $('chat').textContent = '';
  const info = $('person-info');
  info.textContent = state.me
    ? `账号 ${state.me.userid}${state.me.village ? `，联系村：${state.me.village.name}` : ''}`
    : '';
  $('location').disabled = !state.me?.village;
  if (state.me) poll(true);
}

async function send(message, shown) {
  if (!state.me || state.busy) return;
  state.busy = true;
  $('send').disabled = true;
  bubble('me', shown);
  try {
    const { reply } = await api('/demo/api/send', { userid: state.me.userid, message });
    if (reply) bubble('bot', reply, '回复');
  } catch (e) {
    bubble('error', e.message);
  } finally {
    state.busy = false;
    $('send').disabled = false;
  }
  poll();
}

async function poll(initial = false) {
  if (!state.me) return;
  const userid = state.me.userid;
  try {
    const { messages, lastSeq } = await api(`/demo/api/messages?userid=${encodeURIComponent(userid)}&since=${state.since}`);
    if (state.me?.userid !== userid) return;
    for (const m of messages) {
      if (m.via === 'robot') {
        if (m.seq > state.groupSince) addGroupMessage(m);
      } else if (!initial || m.seq > state.since) {
        bubble('bot', m.text, m.via === 'appchat' ? '群聊推送' : '推送');
      }
    }
    state.since = Math.max(state.since, lastSeq);
  } catch {
    // The next poll tries again.
  }
}

function addGroupMessage(m) {
  state.groupSince = m.seq;
  const list = $('groups');
  list.querySelector('.empty')?.remove();
  const item = document.createElement('div');
  item.className = 'item';
  const b = document.createElement('b');
  b.textContent = m.group ?? '群';
  item.append(b, document.createTextNode(m.text));
  list.prepend(item);
}

$('person').addEventListener('change', (e) => choose(e.target.value));
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  send({ kind: 'text', content: text }, text);
});
$('location').addEventListener('click', () => {
  const v = state.me?.village;
  if (!v) return;
  // A point a few hundred metres from the village centre, like a phone on site.
  const jitter = () => (Math.random() - 0.5) * 0.004;
  const latitude = Number((v.latitude + jitter()).toFixed(6));
  const longitude = Number((v.longitude + jitter()).toFixed(6));
  send({ kind: 'location', latitude, longitude, label: v.name }, `📍 ${v.name}（${latitude}, ${longitude}）`);
});
$('photo').addEventListener('click', () => state.me && $('photo-file').click());
$('photo-file').addEventListener('change', () => {
  const file = $('photo-file').files[0];
  $('photo-file').value = '';
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => send({ kind: 'image', dataUrl: reader.result }, `📷 ${file.name}`);
  reader.readAsDataURL(file);
});
for (const s of SHORTCUTS) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = s;
  b.addEventListener('click', () => send({ kind: 'text', content: s }, s));
  $('shortcuts').append(b);
}

state.timer = setInterval(() => poll(), POLL_MS);
loadPeople().catch((e) => bubble('error', e.message));
