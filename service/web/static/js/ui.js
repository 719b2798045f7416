// Small DOM helpers: elements, tables with sortable headers, pagers, selects, dialogs, messages.
import { t } from './i18n.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let ids = 0;
export const uid = (prefix = 'f') => `${prefix}-${++ids}`;

// A labelled control: <label for> + control, so every input has an accessible name.
export function field(text, control) {
  if (!control.id) control.id = uid();
  return h('span', { class: 'field' }, h('label', { for: control.id }, text), ' ', control);
}

export function select(options, value, onChange, attrs = {}) {
  const el = h('select', attrs, options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text)));
  if (onChange) el.addEventListener('change', () => onChange(el.value));
  return el;
}

export const fmt = (n, digits = 0) => (n === null || n === undefined || n === '' ? '–'
  : Number(n).toLocaleString(document.documentElement.lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }));

export function when(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang, { hour12: false }) : '–';
}

export function status(value) {
  return h('span', { class: `status ${value}` }, t(`status.${value}`));
}

// columns: [{key, title, num, sort (server sort key), render(row)}]
export function table(columns, rows, { sort, onSort, caption, rowAttrs } = {}) {
  const head = h('tr', {}, columns.map((c) => {
    const attrs = { class: c.num ? 'num' : '', scope: 'col' };
    if (!c.sort || !onSort) return h('th', attrs, c.title);
    const active = sort === c.sort ? 'ascending' : sort === `-${c.sort}` ? 'descending' : 'none';
    attrs['aria-sort'] = active;
    const next = active === 'ascending' ? `-${c.sort}` : c.sort;
    const arrow = active === 'ascending' ? ' ▲' : active === 'descending' ? ' ▼' : '';
    return h('th', attrs, h('button', { class: 'sort', type: 'button', 'aria-label': t('sort.by', { col: c.title }),
      onclick: () => onSort(next) }, c.title + arrow));
  }));
  const body = rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {}, columns.map((c) => h('td', { class: c.num ? 'num' : '' },
    c.render ? c.render(row) : (row[c.key] ?? '')))));
  return h('div', { class: 'table-wrap' }, h('table', {}, caption ? h('caption', { class: 'muted' }, caption) : null,
    h('thead', {}, head), h('tbody', {}, body)));
}

export function pager(total, offset, limit, onChange) {
  const from = total ? offset + 1 : 0;
  const to = Math.min(offset + limit, total);
  return h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'secondary', disabled: offset <= 0, onclick: () => onChange(Math.max(0, offset - limit)) }, t('page.prev')),
    h('span', { 'aria-live': 'polite' }, t('page.info', { from, to, total: fmt(total) })),
    h('button', { type: 'button', class: 'secondary', disabled: to >= total, onclick: () => onChange(offset + limit) }, t('page.next')));
}

export function toast(message) {
  const box = document.getElementById('toast');
  const item = h('div', {}, message);
  box.append(item);
  setTimeout(() => item.remove(), 5000);
}

export function problem(error) {
  const body = error.body || {};
  const items = (body.errors || []).slice(0, 50).map((e) => h('li', {},
    [e.index !== undefined ? `#${e.index + 1} ` : '', e.row ? `${t('roster.upload.row')} ${e.row} ` : '',
      e.table ? `${e.table} ` : '', e.id ? `${e.id} ` : '', e.field ? `${e.field}: ` : '', e.message].join('')));
  let detail = body.detail || error.message;
  if (error.status === 403) detail = `${t('error.forbidden')} ${detail}`;
  return h('div', { class: 'problem', role: 'alert' }, t('error.generic', { detail }), items.length ? h('ul', {}, items) : null);
}

export function dialog(title, content, { onClose } = {}) {
  const titleId = uid('dlg');
  const el = h('dialog', { 'aria-labelledby': titleId },
    h('h3', { id: titleId }, title), content,
    h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => el.close() }, t('close'))));
  el.addEventListener('close', () => { el.remove(); if (onClose) onClose(); });
  document.body.append(el);
  el.showModal();
  return el;
}

export function downloadLinks(links) {
  return h('div', { class: 'toolbar', role: 'group', 'aria-label': t('downloads') }, h('strong', {}, `${t('downloads')}：`),
    links.map(([href, text]) => h('a', { class: 'button secondary', href, download: '' }, text)));
}

// replaceChildren that skips the null/false of optional parts (replaceChildren would print "null").
export function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}
