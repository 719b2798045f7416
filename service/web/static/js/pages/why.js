// The "why" panel of a pair: each score term in words with its weight and value, and the best
// alternatives with what the plan would lose by switching (computed by the server on demand).
import { api, query } from '../api.js';
import { label, t } from '../i18n.js';
import { dialog, fmt, h, problem, table } from '../ui.js';

function termRows(terms) {
  return terms.map((term) => ({
    term: label('term', term.term),
    weight: term.weight ? t(`weight.${term.weight}`, { w: fmt(term.weight_value) }) : '–',
    value: fmt(term.value),
  }));
}

function termTable(terms, total) {
  const rows = termRows(terms);
  rows.push({ term: h('strong', {}, t('why.total')), weight: '', value: h('strong', {}, fmt(total)) });
  return table([
    { key: 'term', title: t('why.term') }, { key: 'weight', title: t('why.weight') }, { key: 'value', title: t('why.value'), num: true },
  ], rows);
}

export function whyContent(data) {
  const head = h('p', {}, h('strong', {}, label('kind', data.kind)), '：',
    `${data.supporter_name}（${data.supporter_city || data.supporter_id}）→ ${data.receiver_name}（${data.receiver_city || data.receiver_id}）`,
    ` · ${t('col.distance')} ${fmt(data.distance_km, 1)}`);
  if (data.derived) return h('div', { 'data-testid': 'why' }, head, h('p', { class: 'notice' }, t('why.derived')));
  const alternatives = data.alternatives.length ? h('ol', {}, data.alternatives.map((alt) => {
    const sign = alt.delta > 0 ? '+' : '';
    return h('li', { 'data-testid': 'alternative' },
      h('strong', {}, alt.supporter_name), ` (${alt.supporter_id}) — `,
      t('why.alt.delta', { sign, d: fmt(alt.delta) }), ` (${alt.delta > 0 ? t('why.loss') : alt.delta < 0 ? t('why.gain') : '='})`, '; ',
      t('why.alt.changed', { n: fmt(alt.changed) }), alt.exact ? '' : `; ${t('why.alt.inexact')}`,
      h('details', {}, h('summary', {}, t('details')), termTable(alt.terms, alt.total)));
  })) : h('p', {}, t('why.alt.none'));
  return h('div', { 'data-testid': 'why' }, head,
    h('h4', {}, t('why.terms')), termTable(data.terms, data.total),
    h('h4', {}, t('why.alternatives')), data.hard_tie ? h('p', { class: 'notice' }, t('why.hard_tie')) : '', alternatives,
    h('p', { class: 'muted' }, t('why.method')));
}

export async function openWhy(planId, pair) {
  const body = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  dialog(t('why.title'), body);
  try {
    const data = await api(`/plans/${planId}/why${query({ kind: pair.kind, supporter_id: pair.supporter_id, receiver_id: pair.receiver_id })}`);
    body.replaceChildren(whyContent(data));
  } catch (error) {
    body.replaceChildren(problem(error));
  }
}

export function whyButton(planId, pair) {
  return h('button', { type: 'button', class: 'link', 'aria-label': `${t('map.why')}：${pair.supporter_name} → ${pair.receiver_name}`,
    onclick: () => openWhy(planId, pair) }, t('map.why'));
}
