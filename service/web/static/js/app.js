// The shell: sign-in, navigation, language switch and a hash router over the pages.
import { api, ApiError, onSessionEnd, setCsrf } from './api.js';
import { getLang, setLang, t } from './i18n.js';
import { fill, h, problem } from './ui.js';
import * as overview from './pages/overview.js';
import * as map from './pages/map.js';
import * as pairs from './pages/pairs.js';
import * as roster from './pages/roster.js';
import * as plans from './pages/plans.js';
import * as diff from './pages/diff.js';
import * as deployments from './pages/deployments.js';
import * as actuals from './pages/actuals.js';

const PAGES = { overview, map, pairs, roster, plans, diff, deployments, actuals };
const RANKS = { viewer: 0, coordinator: 1, admin: 2 };
const main = document.getElementById('main');
const top = document.getElementById('top');
let user = null;
let renderId = 0;

export const ctx = {
  get user() { return user; },
  can: (role) => !!user && RANKS[user.role] >= RANKS[role],
  // A coordinator of one city (its token's scope) changes only that city's rows and starts no plans.
  get scope() { return user?.city_id || null; },
  canPlan: () => !!user && RANKS[user.role] >= RANKS.coordinator && !user.city_id,
  canEditRow: (row) => !user?.city_id || rowCity(row) === user.city_id,
  go: (hash) => { if (location.hash === hash) route(); else location.hash = hash; },
};

// The city of a roster row: its city_id, or the city of its area_id (schools); the province's own
// rows (area 440000) belong to no city. The server applies the same rule (service/scope.py).
export function rowCity(row) {
  if (row.city_id) return row.city_id;
  if (row.area_id && row.area_id !== '440000') return `${String(row.area_id).slice(0, 4)}00`;
  return null;
}

function parseHash() {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, ...rest] = path.split('/');
  return { page: PAGES[page] ? page : 'overview', rest, params: Object.fromEntries(new URLSearchParams(search)) };
}

function header(active) {
  fill(top,
    h('h1', {}, t('app.title')),
    user ? h('nav', { 'aria-label': t('nav.label') },
      Object.keys(PAGES).map((name) => h('a', { href: `#/${name}`, 'aria-current': name === active ? 'page' : false }, t(`nav.${name}`))),
      h('a', { href: '/docs' }, t('nav.docs'))) : null,
    h('div', { class: 'who' },
      user ? h('span', { 'data-testid': 'who' }, user.city_id
        ? t('who.scoped', { name: user.name, role: t(`role.${user.role}`), city: user.city_id })
        : t('who', { name: user.name, role: t(`role.${user.role}`) })) : null,
      h('button', { type: 'button', lang: getLang() === 'zh' ? 'en' : 'zh-CN', 'aria-label': t('lang.switch.label'),
        onclick: () => { setLang(getLang() === 'zh' ? 'en' : 'zh'); route(); } }, t('lang.switch')),
      user ? h('button', { type: 'button', onclick: signOut }, t('signout')) : null));
  document.querySelector('.skip').textContent = t('skip');
  document.title = t('app.title');
}

function signInPage(message) {
  renderId += 1;
  main.dataset.ready = 'false';
  header(null);
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', placeholder: 'gdp_…' });
  const status = h('div', { 'aria-live': 'assertive' }, message ? h('p', { class: 'error' }, message) : null);
  const form = h('form', { class: 'card signin stack', 'aria-labelledby': 'signin-title' },
    h('h2', { id: 'signin-title' }, t('signin.title')),
    h('p', {}, t('signin.intro')),
    h('label', { for: 'token' }, t('signin.token')), input, status,
    h('p', {}, h('button', { type: 'submit' }, t('signin.submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const session = await api('/session', { method: 'POST', body: { token: input.value.trim() } });
      startSession(session);
      route();
    } catch (error) {
      status.replaceChildren(error instanceof ApiError && error.status === 401
        ? h('p', { class: 'error', role: 'alert' }, t('signin.bad')) : problem(error));
    }
  });
  main.replaceChildren(form);
  input.focus();
}

function startSession(session) {
  user = { name: session.name, role: session.role, city_id: session.city_id || null };
  setCsrf(session.csrf_token);
  document.body.dataset.role = session.role;
}

async function signOut() {
  try { await api('/session', { method: 'DELETE' }); } catch { /* the cookie is gone either way */ }
  user = null;
  setCsrf(null);
  delete document.body.dataset.role;
  location.hash = '#/overview';
  signInPage();
}

onSessionEnd(() => {
  if (!user) return;
  user = null;
  signInPage(t('error.session'));
});

async function route() {
  document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  if (!user) { signInPage(); return; }
  const { page, rest, params } = parseHash();
  header(page);
  const id = ++renderId;
  // Each render writes into a view of its own: once another render or the sign-in replaces it,
  // a slow page still finishing writes into a detached element, never over the new one.
  const view = h('div', { class: 'view' }, h('p', { class: 'muted' }, t('loading')));
  main.replaceChildren(view);
  main.dataset.page = page;
  main.dataset.ready = 'false';
  try {
    await PAGES[page].render(view, { rest, params, isCurrent: () => id === renderId });
  } catch (error) {
    if (id === renderId) view.replaceChildren(problem(error));
  }
  if (id === renderId) main.dataset.ready = 'true';
}

async function start() {
  setLang(getLang());
  try {
    startSession(await api('/session'));
  } catch { /* not signed in */ }
  window.addEventListener('hashchange', route);
  route();
}

start();
