// The Rebound dashboard: a small single-page app over the HTTP API (same origin, session cookie). Views:
// overview (#/), suppressions (#/suppressions), events (#/events) and one event (#/events/ID). Everything
// received is put in the page as text (textContent), never as markup.
import { stackedBars } from './chart.js';

const CATEGORIES = [
  { key: 'hard', label: 'hard bounces', color: '#c0392b' },
  { key: 'soft', label: 'soft bounces', color: '#e67e22' },
  { key: 'complaint', label: 'complaints', color: '#8e44ad' },
  { key: 'auto-reply', label: 'auto-replies', color: '#7f8c8d' },
];
const KINDS = ['bounce', 'delay', 'delivered', 'complaint', 'auto-reply', 'not-bounce'];
const FAULTS = ['recipient', 'sender', 'transient', 'none'];
const DAY = 86_400_000;

// view: bumped by every navigation, so a slow view that finishes after the next one started shows nothing
const state = { session: null, csrfHeader: 'x-rebound-csrf', view: 0 };
const main = document.getElementById('main');

class NotLoggedIn extends Error {}

// ---- helpers -------------------------------------------------------------------------------------------

/** h('td', { class: 'num' }, 'text', child, …): an element; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

const fmtTime = (iso) => (iso ? iso.replace('T', ' ').slice(0, 16) + ' UTC' : '');
const fmtNum = (n) => n.toLocaleString('en');

async function api(path, { method = 'GET', body } = {}) {
  const headers = {};
  if (method !== 'GET') headers[state.csrfHeader] = '1';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 401 && path !== '/api/v1/session') {
    showLogin('Your session has ended: log in again.');
    throw new NotLoggedIn();
  }
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      message = (await res.json()).error.message;
    } catch { /* not JSON */ }
    const err = new Error(message);
    err.status = res.status;
    throw err;
  }
  if (res.status === 204) return null;
  return (res.headers.get('content-type') ?? '').includes('json') ? res.json() : res.text();
}

function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 3500);
}

function confirmDialog(text) {
  const d = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-note').value = '';
  return new Promise((resolve) => {
    d.addEventListener('close', () => resolve(d.returnValue === 'ok' ? document.getElementById('confirm-note').value : null), { once: true });
    d.returnValue = '';
    d.showModal();
  });
}

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  return { path, params: new URLSearchParams(query) };
}

function go(path, params) {
  const q = params ? new URLSearchParams([...Object.entries(params)].filter(([, v]) => v)).toString() : '';
  location.hash = `#${path}${q ? `?${q}` : ''}`;
}

function setView(title, ...content) {
  document.title = `${title} · Rebound`;
  main.replaceChildren(...content);
}

/** setView for the view started as generation `view`: a no-op once the user has moved on. */
function viewOf(view) {
  return (title, ...content) => {
    if (view === state.view) setView(title, ...content);
  };
}

function failure(err) {
  if (err instanceof NotLoggedIn) return;
  setView('Error', h('div', { class: 'card' }, h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, err.message)));
}

function badge(text, cls = text) {
  return h('span', { class: `badge ${cls}` }, text);
}

function categoryOf(e) {
  if (e.kind !== 'bounce') return e.kind;
  return e.hard ? 'hard' : 'soft';
}

// ---- login ---------------------------------------------------------------------------------------------

function showLogin(message) {
  state.session = null;
  state.view++;
  document.getElementById('top').hidden = true;
  const error = h('p', { class: 'error', id: 'login-error' }, message ?? '');
  const input = h('input', { id: 'token', type: 'password', name: 'token', autocomplete: 'current-password', required: true });
  const form = h('form', {
    id: 'login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      error.textContent = '';
      try {
        await api('/api/v1/session', { method: 'POST', body: { token: input.value } });
        await start();
      } catch (err) {
        error.textContent = err.status === 401 ? 'That is not a token of this server.' : err.message;
      }
    },
  },
  h('label', {}, 'API token (admin or read-only)', input),
  h('button', { type: 'submit', id: 'login-submit' }, 'Log in'),
  error);
  setView('Log in', h('div', { class: 'card login' }, h('h1', {}, 'Rebound'), h('p', { class: 'muted' }, 'Log in with the admin or the read-only API token.'), form));
  input.focus();
}

// ---- overview ------------------------------------------------------------------------------------------

function rankTable(title, rows, { link, empty, id }) {
  const max = Math.max(1, ...rows.map((r) => r.total));
  return h('div', { class: 'card', id },
    h('h2', {}, title),
    rows.length === 0
      ? h('p', { class: 'muted' }, empty)
      : h('table', {},
        h('tbody', {}, rows.map((r) => h('tr', { class: 'clickable', onclick: () => link && link(r.key) },
          h('td', {}, r.key || '(none)'),
          h('td', { class: 'bar-cell' }, h('div', { class: 'bar', 'data-width': r.total / max })),
          h('td', { class: 'num' }, fmtNum(r.total)))))));
}

async function overview(params, show) {
  const days = Number(params.get('days')) || 30;
  const since = new Date(Math.floor(Date.now() / DAY) * DAY - (days - 1) * DAY).toISOString().slice(0, 10);
  const q = `since=${since}`;
  const [cat, reasons, domains, sender] = await Promise.all([
    api(`/api/v1/stats?by=category&top=20&${q}`),
    api(`/api/v1/stats?by=reason&kind=bounce&top=10&${q}`),
    api(`/api/v1/stats?by=domain&kind=bounce&top=10&${q}`),
    api(`/api/v1/stats?by=reason&fault=sender&top=10&${q}`),
  ]);
  const byKey = Object.fromEntries(cat.series.map((s) => [s.key, s]));
  const series = CATEGORIES.map((c) => ({ ...c, counts: byKey[c.key]?.counts ?? cat.days.map(() => 0), total: byKey[c.key]?.total ?? 0 }));
  const total = series.reduce((n, s) => n + s.total, 0);

  const period = h('div', { class: 'period' }, h('span', { class: 'muted' }, 'Period:'),
    [7, 30, 90].map((n) => h('button', { type: 'button', class: 'small', 'aria-pressed': n === days ? 'true' : 'false', onclick: () => go('/', { days: String(n) }) }, `${n} days`)));

  const tiles = h('div', { class: 'tiles' }, series.map((s) => h('div', { class: 'tile', 'data-testid': `tile-${s.key}` },
    h('div', { class: 'n' }, fmtNum(s.total)), h('div', { class: 'k' }, h('span', { class: 'swatch', 'data-color': s.color }), s.label))));

  const chartCard = h('div', { class: 'card', id: 'chart' },
    h('h2', {}, 'Returned mail per day'),
    total === 0 ? h('p', { class: 'muted' }, 'Nothing came back in this period.') : stackedBars(cat.days, series),
    h('div', { class: 'legend' }, series.map((s) => h('span', { 'data-testid': `legend-${s.key}` }, h('span', { class: 'swatch', 'data-color': s.color }), `${s.label}: ${fmtNum(s.total)}`))));

  const senderTotal = sender.series.reduce((n, s) => n + s.total, 0);
  const senderCard = h('div', { class: `card${senderTotal ? ' callout' : ''}`, id: 'sender-fault' },
    h('h2', {}, `Sender-fault rejections: ${fmtNum(senderTotal)}`),
    senderTotal
      ? [
        h('p', {}, 'These were refused because of how the mail was sent — blocklists, spam filters, authentication (SPF, DKIM, DMARC), rate limits, reputation. ',
          'They are your sending reputation problem, not the list’s: the addresses are fine and are not suppressed.'),
        h('table', {}, h('tbody', {}, sender.series.map((s) => h('tr', { class: 'clickable', onclick: () => go('/events', { reason: s.key }) },
          h('td', {}, badge(s.key, 'sender')), h('td', { class: 'num' }, fmtNum(s.total)))))),
      ]
      : h('p', { class: 'muted' }, 'None in this period: no receiver refused the mail because of the sender.'));

  show('Overview',
    h('h1', {}, 'Overview'), period, tiles, chartCard, senderCard,
    h('div', { class: 'grid' },
      rankTable('Top bounce reasons', reasons.series, { id: 'top-reasons', empty: 'No bounces.', link: (k) => go('/events', { kind: 'bounce', reason: k }) }),
      rankTable('Top recipient domains', domains.series, { id: 'top-domains', empty: 'No bounces.', link: (k) => go('/suppressions', { search: `@${k}` }) })));
  // colours and bar widths through the CSSOM (the page's policy allows no inline style attributes)
  for (const s of main.querySelectorAll('.swatch[data-color]')) s.style.background = s.dataset.color;
  for (const b of main.querySelectorAll('.bar[data-width]')) b.style.width = `${Math.max(2, Number(b.dataset.width) * 100)}%`;
}

// ---- suppressions --------------------------------------------------------------------------------------

async function suppressions(params, show) {
  const search = params.get('search') ?? '';
  const reason = params.get('reason') ?? '';
  const fault = params.get('fault') ?? '';
  const admin = state.session?.scope === 'admin';
  const tbody = h('tbody', { id: 'suppression-rows' });
  const more = h('button', { type: 'button', class: 'quiet more', id: 'more', hidden: true }, 'More');
  const count = h('p', { class: 'muted', id: 'suppression-count' });
  let cursor = null;
  let shown = 0;

  const row = (s) => {
    const remove = admin && h('button', {
      type: 'button', class: 'danger small', 'data-action': 'remove', 'data-address': s.address,
      onclick: async (ev) => {
        const note = await confirmDialog(`Remove the suppression of ${s.address}? Mail to it will be sent again. The change is recorded in the audit trail.`);
        if (note === null) return;
        ev.target.disabled = true;
        try {
          await api(`/api/v1/suppressions/${encodeURIComponent(s.address)}?note=${encodeURIComponent(note || 'removed in the dashboard')}`, { method: 'DELETE' });
          tr.remove();
          shown--;
          count.textContent = `${shown} shown`;
          toast(`${s.address} is no longer suppressed`);
        } catch (err) {
          ev.target.disabled = false;
          if (!(err instanceof NotLoggedIn)) toast(`Could not remove: ${err.message}`);
        }
      },
    }, 'Remove');
    const tr = h('tr', { 'data-address': s.address },
      h('td', {}, h('a', { href: `#/events?address=${encodeURIComponent(s.address)}` }, s.address)),
      h('td', {}, badge(s.reason, s.fault === 'recipient' ? 'hard' : s.kind)),
      h('td', {}, s.fault),
      h('td', {}, s.manual ? 'manual' : s.rule),
      h('td', {}, fmtTime(s.lastSeen)),
      h('td', {}, s.expiresAt ? fmtTime(s.expiresAt) : 'never'),
      h('td', { class: 'num' }, remove || ''));
    return tr;
  };

  const load = async () => {
    const q = new URLSearchParams({ limit: '50' });
    if (search) q.set('search', search.replace(/^@/, ''));
    if (reason) q.set('reason', reason);
    if (fault) q.set('fault', fault);
    if (cursor) q.set('cursor', cursor);
    const page = await api(`/api/v1/suppressions?${q}`);
    for (const s of page.items) tbody.append(row(s));
    shown += page.items.length;
    cursor = page.nextCursor;
    more.hidden = !cursor;
    count.textContent = shown === 0 ? 'No suppressions match.' : `${shown} shown${cursor ? ' (more below)' : ''}`;
  };
  more.addEventListener('click', () => load().catch(failure));

  const searchInput = h('input', { id: 's-search', name: 'search', value: search, placeholder: 'part of the address', type: 'search' });
  const reasonInput = h('input', { id: 's-reason', name: 'reason', value: reason, placeholder: 'userunknown, …' });
  const faultSelect = h('select', { id: 's-fault', name: 'fault' }, h('option', { value: '' }, 'any'), FAULTS.map((f) => h('option', { value: f, selected: f === fault }, f)));
  const form = h('form', {
    class: 'filters', id: 'suppression-filters',
    onsubmit: (ev) => {
      ev.preventDefault();
      go('/suppressions', { search: searchInput.value.trim(), reason: reasonInput.value.trim(), fault: faultSelect.value });
    },
  }, h('label', {}, 'Search', searchInput), h('label', {}, 'Reason', reasonInput), h('label', {}, 'Fault', faultSelect), h('button', { type: 'submit' }, 'Search'));

  show('Suppressions', h('h1', {}, 'Suppressions'), form,
    h('div', { class: 'card' }, count,
      h('table', {}, h('thead', {}, h('tr', {}, ['Address', 'Reason', 'Fault', 'Source', 'Last seen', 'Lapses', ''].map((t) => h('th', {}, t)))), tbody),
      more));
  await load();
}

// ---- events --------------------------------------------------------------------------------------------

async function events(params, show) {
  const filters = { address: params.get('address') ?? '', kind: params.get('kind') ?? '', reason: params.get('reason') ?? '' };
  const tbody = h('tbody', { id: 'event-rows' });
  const more = h('button', { type: 'button', class: 'quiet more', hidden: true }, 'More');
  let cursor = null;
  const load = async () => {
    const q = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    if (cursor) q.set('cursor', cursor);
    const page = await api(`/api/v1/events?${q}`);
    for (const e of page.items) {
      tbody.append(h('tr', { class: 'clickable', 'data-event': e.id, onclick: () => go(`/events/${e.id}`) },
        h('td', {}, fmtTime(e.receivedAt)),
        h('td', {}, h('a', { href: `#/events/${e.id}` }, e.address)),
        h('td', {}, badge(categoryOf(e))),
        h('td', {}, e.reason),
        h('td', {}, e.fault === 'sender' ? badge('sender', 'sender') : e.fault),
        h('td', {}, badge(e.outcome)),
        h('td', {}, e.mta ?? '')));
    }
    if (page.items.length === 0 && !cursor) tbody.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No events match.')));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener('click', () => load().catch(failure));
  const address = h('input', { name: 'address', value: filters.address, placeholder: 'joe@example.com' });
  const kind = h('select', { name: 'kind' }, h('option', { value: '' }, 'any'), KINDS.map((k) => h('option', { value: k, selected: k === filters.kind }, k)));
  const reason = h('input', { name: 'reason', value: filters.reason, placeholder: 'userunknown, …' });
  const form = h('form', {
    class: 'filters',
    onsubmit: (ev) => {
      ev.preventDefault();
      go('/events', { address: address.value.trim(), kind: kind.value, reason: reason.value.trim() });
    },
  }, h('label', {}, 'Address', address), h('label', {}, 'Kind', kind), h('label', {}, 'Reason', reason), h('button', { type: 'submit' }, 'Filter'));
  show('Events', h('h1', {}, 'Events'), form,
    h('div', { class: 'card' },
      h('table', {}, h('thead', {}, h('tr', {}, ['Received', 'Address', 'Category', 'Reason', 'Fault', 'Decision', 'Decoder'].map((t) => h('th', {}, t)))), tbody),
      more));
  await load();
}

function fields(pairs) {
  return h('dl', { class: 'fields' }, pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, v === null || v === '' ? '—' : v)]));
}

async function eventDetail(id, show) {
  const e = await api(`/api/v1/events/${encodeURIComponent(id)}`);
  const [message, raw, current] = await Promise.all([
    api(`/api/v1/messages/${e.messageId}`),
    api(`/api/v1/messages/${e.messageId}/raw`),
    api(`/api/v1/suppressions/${encodeURIComponent(e.address)}`).catch((err) => (err.status === 404 ? null : Promise.reject(err))),
  ]);
  const decision = h('div', { class: 'card', id: 'decision' },
    h('h2', {}, 'Policy decision'),
    fields([
      ['Outcome', badge(e.outcome)],
      ['Rule', e.rule],
      ['Explanation', e.explanation],
      ['Trusted', e.trusted ? 'yes' : 'no — the VERP tag did not verify, so this changed nothing'],
      ['Address now', current ? `suppressed (${current.reason}${current.manual ? ', manual' : ''}) since ${fmtTime(current.firstSeen)}` : 'not suppressed'],
    ]));
  const extracted = h('div', { class: 'card', id: 'extracted' },
    h('h2', {}, 'What the bounce says'),
    fields([
      ['Address', e.address], ['Reported address', e.reportedAddress], ['Kind', e.kind], ['Action', e.action],
      ['Status', e.status], ['Reply code', e.replyCode], ['Reason', e.reason],
      ['Hard', e.hard === null ? 'n/a' : e.hard ? 'yes' : 'no'], ['Fault', e.fault], ['Diagnostic', e.diagnostic],
      ['Remote MTA', e.remoteMta], ['SMTP command', e.command],
    ]));
  const reading = h('div', { class: 'card', id: 'reading' },
    h('h2', {}, 'How it was read'),
    fields([
      ['Decoder', message.mta ?? 'none recognised it'], ['Parser version', message.parserVersion], ['Parse status', message.parseStatus],
      ['VERP return path', message.verpReturnPath], ['VERP tag', message.verpStatus], ['Message-ID', message.messageId],
      ['Subject', message.subject], ['Received', fmtTime(message.receivedAt)], ['Source', message.source], ['Size', `${fmtNum(message.size)} bytes`],
    ]));
  const others = message.events.filter((x) => x.id !== e.id);
  show(`Event ${e.id}`,
    h('p', {}, h('a', { href: '#/events' }, '← Events')),
    h('h1', {}, `${e.address} — ${e.reason}`),
    h('div', { class: 'grid' }, decision, reading), extracted,
    others.length ? h('div', { class: 'card' }, h('h2', {}, 'Other recipients in this message'),
      h('table', {}, h('tbody', {}, others.map((x) => h('tr', { class: 'clickable', onclick: () => go(`/events/${x.id}`) },
        h('td', {}, x.address), h('td', {}, x.reason), h('td', {}, badge(x.outcome))))))) : '',
    h('div', { class: 'card' }, h('h2', {}, 'Raw message'),
      h('p', {}, h('a', { href: `/api/v1/messages/${e.messageId}/raw`, download: `message-${e.messageId}.eml` }, 'Download')),
      h('pre', { class: 'raw', id: 'raw-message' }, raw)));
}

// ---- shell ---------------------------------------------------------------------------------------------

async function render() {
  if (!state.session) return;
  const { path, params } = route();
  for (const a of document.querySelectorAll('header nav a')) {
    const nav = a.dataset.nav;
    a.classList.toggle('active', (nav === 'overview' && path === '/') || (nav !== 'overview' && path.startsWith(`/${nav}`)));
  }
  const view = ++state.view;
  const show = viewOf(view);
  try {
    const m = /^\/events\/(\d+)$/.exec(path);
    if (m) await eventDetail(m[1], show);
    else if (path === '/events') await events(params, show);
    else if (path === '/suppressions') await suppressions(params, show);
    else await overview(params, show);
  } catch (err) {
    if (view === state.view) failure(err);
  }
}

async function start() {
  let s;
  try {
    s = await api('/api/v1/session');
  } catch (err) {
    if (err.status === 401) return showLogin();
    return failure(err);
  }
  state.session = s;
  state.csrfHeader = s.csrfHeader;
  document.getElementById('top').hidden = false;
  document.getElementById('who').textContent = s.via === 'loopback' ? 'open on loopback (no token configured)' : `${s.scope === 'admin' ? 'admin' : 'read-only'}`;
  document.getElementById('logout').hidden = s.via !== 'session';
  await render();
}

document.getElementById('logout').addEventListener('click', async () => {
  await api('/api/v1/session', { method: 'DELETE' }).catch(() => undefined);
  showLogin('Logged out.');
});
window.addEventListener('hashchange', () => void render());
void start();
