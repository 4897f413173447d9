// The demo chat page: plain ES module, no build step. The server encrypts and
// POSTs each message to /wecom/callback exactly as WeCom would.
import { renderMarkdown } from './markdown.js';

const ROLE_ORDER = ['领导', '干部', '队员', '队长', '第一书记', '管理员'];
const SHORTCUTS = ['帮助', '进度', '问题', '签退', '日报', '统计'];
const POLL_MS = 2000;
const NEARBY = (v) => `附近（${v.name}）`;
const OPEN_PAGE = '打开页面';
const PICK_FIRST = '请先在上方选择一位干部或领导，再发送消息。';

const $ = (id) => document.getElementById(id);
const state = { people: [], me: null, since: 0, groupSince: 0, timer: null, busy: false, menu: [], buttons: {}, picking: null };

// A chat bubble; markdown messages are drawn as the WeCom client draws them (markdown.js).
function bubble(kind, text, tag, msgtype) {
  const div = document.createElement('div');
  div.className = `msg ${kind}${msgtype === 'markdown' ? ' md' : ''}`;
  if (tag) {
    const t = document.createElement('span');
    t.className = 'tag';
    t.textContent = tag;
    div.append(t);
  }
  div.append(msgtype === 'markdown' ? renderMarkdown(text) : document.createTextNode(text));
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

// What an empty chat says: nobody is picked yet, so nothing can be sent.
function showPickFirst() {
  const p = document.createElement('p');
  p.className = 'pick-first';
  p.dataset.testid = 'pick-first';
  p.textContent = PICK_FIRST;
  $('chat').append(p);
}

// Nobody to send as: point at the picker.
function pointAtPicker() {
  $('chat').querySelector('.pick-first')?.classList.add('attention');
  $('person').focus();
}

function choose(userid) {
  state.me = state.people.find((p) => p.userid === userid) ?? null;
  state.since = 0;
  $('chat').textContent = '';
  if (!state.me) showPickFirst();
  const info = $('person-info');
  info.textContent = state.me
    ? `账号 ${state.me.userid}${state.me.village ? `，联系村：${state.me.village.name}` : ''}`
    : '';
  $('location').disabled = !state.me?.village;
  if (!state.menu.length) loadMenu().catch(() => {}); // the menu is created as the server starts
  if (state.me) poll(true);
}

async function send(message, shown) {
  if (!state.me) return pointAtPicker();
  if (state.busy) return;
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

// One poll at a time: two at once would both fetch from the same `since` and show every new
// message twice (a tap's own poll meeting the timer's on a slow machine). Polls asked for
// meanwhile become one more poll after it.
const polling = { running: false, again: false, initial: false };
async function poll(initial = false) {
  if (polling.running) {
    polling.again = true;
    polling.initial ||= initial;
    return;
  }
  polling.running = true;
  try {
    await pollOnce(initial);
  } finally {
    polling.running = false;
  }
  if (polling.again) {
    const next = polling.initial;
    Object.assign(polling, { again: false, initial: false });
    await poll(next);
  }
}

async function pollOnce(initial) {
  if (!state.me) return;
  const userid = state.me.userid;
  try {
    const { messages, lastSeq, buttons } = await api(`/demo/api/messages?userid=${encodeURIComponent(userid)}&since=${state.since}`);
    if (state.me?.userid !== userid) return;
    state.buttons = buttons ?? {};
    for (const m of messages) {
      if (m.via === 'robot') {
        if (m.seq > state.groupSince) addGroupMessage(m);
      } else if (m.card) {
        cardBubble(m.card);
      } else if (!initial || m.seq > state.since) {
        bubble('bot', m.text, m.via === 'appchat' ? '群聊推送' : '推送', m.msgtype);
      }
    }
    state.since = Math.max(state.since, lastSeq);
    for (const el of document.querySelectorAll('.card[data-task-id]')) drawButtons(el);
  } catch {
    // The next poll tries again.
  }
}

// A template card (模板卡片) as WeCom draws it: title, text, fields, and its buttons or the page it opens.
function cardBubble(card) {
  const div = document.createElement('div');
  div.className = 'msg bot card';
  div.dataset.testid = 'card';
  const add = (tag, cls, text) => {
    if (!text) return;
    const el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;
    div.append(el);
  };
  add('span', 'tag', '卡片');
  add('b', 'title', card.title);
  add('span', 'desc', card.desc);
  add('p', 'text', card.text);
  if (card.fields.length) {
    const dl = document.createElement('dl');
    for (const f of card.fields) {
      const dt = document.createElement('dt');
      dt.textContent = f.keyname;
      const dd = document.createElement('dd');
      dd.textContent = f.value;
      dl.append(dt, dd);
    }
    div.append(dl);
  }
  if (card.url) {
    const a = document.createElement('a');
    a.href = card.url;
    a.target = '_blank';
    a.rel = 'noopener';
    a.className = 'card-link';
    a.textContent = OPEN_PAGE;
    div.append(a);
  }
  if (card.buttons.length && card.taskId) {
    div.dataset.taskId = card.taskId;
    div.dataset.cardType = card.cardType;
    div.buttonList = card.buttons;
    drawButtons(div);
  }
  $('chat').append(div);
  $('chat').scrollTop = $('chat').scrollHeight;
}

// A card's buttons, or the one text message/update_template_card put in their place (e.g. 已确认 …).
function drawButtons(div) {
  const row = div.querySelector('.buttons') ?? div.appendChild(Object.assign(document.createElement('div'), { className: 'buttons' }));
  const replaced = state.buttons[div.dataset.taskId];
  row.textContent = '';
  if (replaced) {
    const b = document.createElement('button');
    b.type = 'button';
    b.disabled = true;
    b.textContent = replaced;
    row.append(b);
    return;
  }
  for (const btn of div.buttonList) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = btn.text;
    b.addEventListener('click', () => tap({ event: 'template_card_event', eventKey: btn.key, taskId: div.dataset.taskId, cardType: div.dataset.cardType },
      `[点击卡片按钮] ${btn.text}`));
    row.append(b);
  }
}

// A tap on the menu or a card: the server has the simulator post WeCom's event to the callback.
async function tap(input, shown) {
  if (!state.me || state.busy) return;
  state.busy = true;
  bubble('me', shown);
  try {
    const { reply } = await api('/demo/api/event', { userid: state.me.userid, ...input });
    if (reply) bubble('bot', reply, '回复');
  } catch (e) {
    bubble('error', e.message);
  } finally {
    state.busy = false;
  }
  // Events are answered through the outbox: look again shortly.
  poll();
  setTimeout(() => poll(), 400);
}

async function loadMenu() {
  const { menu } = await api('/demo/api/menu');
  state.menu = menu;
  const nav = $('menu');
  nav.textContent = '';
  for (const item of menu) {
    const wrap = document.createElement('div');
    wrap.className = 'menu-item';
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = item.name;
    wrap.append(b);
    if (Array.isArray(item.sub_button)) {
      const sub = document.createElement('div');
      sub.className = 'submenu';
      sub.hidden = true;
      for (const s of item.sub_button) {
        const sb = document.createElement('button');
        sb.type = 'button';
        sb.textContent = s.name;
        sb.addEventListener('click', () => { sub.hidden = true; menuTap(s); });
        sub.append(sb);
      }
      b.addEventListener('click', () => {
        const open = sub.hidden;
        for (const other of nav.querySelectorAll('.submenu')) other.hidden = true;
        sub.hidden = !open;
      });
      wrap.append(sub);
    } else {
      b.addEventListener('click', () => menuTap(item));
    }
    nav.append(wrap);
  }
}

// What each menu button type does in WeCom's client (docs/wecom.md §8).
function menuTap(b) {
  if (!state.me) return pointAtPicker();
  if (b.type === 'click') tap({ event: 'click', eventKey: b.key }, `[菜单] ${b.name}`);
  else if (b.type === 'location_select') openPicker(b);
  else if (b.type === 'pic_photo_or_album') {
    state.picking = b;
    $('photo-file').click();
  }
}

// A map-less stand-in for WeCom's location picker: the demo villages' coordinates, and a point near one's own village.
function openPicker(b) {
  const places = $('places');
  places.textContent = '';
  const choice = (label, latitude, longitude, name) => {
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.textContent = label;
    btn.addEventListener('click', () => {
      $('picker').close();
      tap({ event: 'location_select', eventKey: b.key, location: { latitude, longitude, label: name, poiname: name } },
        `[菜单] ${b.name}：${name}（${latitude}, ${longitude}）`);
    });
    places.append(btn);
  };
  const mine = state.me.village;
  if (mine) {
    const p = nearby(mine);
    choice(NEARBY(mine), p.latitude, p.longitude, mine.name);
  }
  const seen = new Set();
  for (const v of state.people.map((p) => p.village).filter(Boolean)) {
    if (seen.has(v.name)) continue;
    seen.add(v.name);
    choice(`${v.name}（${v.latitude.toFixed(4)}, ${v.longitude.toFixed(4)}）`, v.latitude, v.longitude, v.name);
  }
  $('picker').showModal();
}

// A point a few hundred metres from the village centre, like a phone on site.
function nearby(v) {
  const jitter = () => (Math.random() - 0.5) * 0.004;
  return { latitude: Number((v.latitude + jitter()).toFixed(6)), longitude: Number((v.longitude + jitter()).toFixed(6)) };
}

function addGroupMessage(m) {
  state.groupSince = m.seq;
  const list = $('groups');
  list.querySelector('.empty')?.remove();
  const item = document.createElement('div');
  item.className = 'item';
  const b = document.createElement('b');
  b.textContent = m.group ?? '群';
  item.append(b, m.msgtype === 'markdown' ? renderMarkdown(m.text) : document.createTextNode(m.text));
  if (m.msgtype === 'markdown') item.classList.add('md');
  list.prepend(item);
}

$('person').addEventListener('change', (e) => choose(e.target.value));
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  if (!state.me) return pointAtPicker(); // the typed text stays in the box
  $('text').value = '';
  send({ kind: 'text', content: text }, text);
});
$('location').addEventListener('click', () => {
  if (!state.me) return pointAtPicker();
  const v = state.me.village;
  if (!v) return;
  const { latitude, longitude } = nearby(v);
  send({ kind: 'location', latitude, longitude, label: v.name }, `📍 ${v.name}（${latitude}, ${longitude}）`);
});
$('photo').addEventListener('click', () => {
  state.picking = null;
  if (!state.me) return pointAtPicker();
  $('photo-file').click();
});
$('photo-file').addEventListener('change', async () => {
  const file = $('photo-file').files[0];
  $('photo-file').value = '';
  if (!file) return;
  // From the menu's 拍照上报: WeCom posts the pic_photo_or_album event, then the picture as an image message.
  if (state.picking) await tap({ event: 'pic_photo_or_album', eventKey: state.picking.key, pictures: 1 }, `[菜单] ${state.picking.name}`);
  state.picking = null;
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

showPickFirst();
state.timer = setInterval(() => poll(), POLL_MS);
loadPeople().catch((e) => bubble('error', e.message));
loadMenu().catch((e) => bubble('error', e.message));
