// 年度考核: record what a year delivered (download the year's template, fill in the delivered
// cells in Excel, upload it back), read the assessment (counties' scores, who is behind), re-plan
// the years left, and download each city or county pair's own plan (结对帮扶工作方案).
import { api, query } from '../api.js';
import { getLang, label, t } from '../i18n.js';
import { downloadLinks, field, fmt, h, problem, select, table, toast, fill } from '../ui.js';
import { ctx } from '../app.js';
import { donePlans, noPlan, pickPlan, planChooser, setParams } from './common.js';

const YEARS = { '2021-2025': [2021, 2022, 2023, 2024, 2025], '2026-2030': [2026, 2027, 2028, 2029, 2030], '2031-2035': [2031, 2032, 2033, 2034, 2035] };

async function etagOf(path) {
  const response = await fetch(path, { method: 'GET', credentials: 'same-origin' });
  return response.headers.get('ETag');
}

function recordCard(plan, year, recorded, reload) {
  const path = `/plans/${plan.id}/actuals/${year}.csv`;
  const mine = recorded.find((r) => r.year === year);
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const message = h('div', { 'aria-live': 'assertive', 'data-testid': 'actuals-message' });
  const upload = async () => {
    if (!file.files.length) { message.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('act.choose'))); return; }
    try {
      const etag = await etagOf(path);
      const body = new Blob([await file.files[0].arrayBuffer()], { type: 'text/csv' });
      const stored = await api(path, { method: 'PUT', body, headers: { 'If-Match': etag, 'Content-Type': 'text/csv' } });
      toast(t('act.stored', { year, rows: fmt(stored.rows) }));
      reload();
    } catch (error) {
      message.replaceChildren(h('div', { 'data-testid': 'actuals-problems' }, problem(error)));
    }
  };
  return h('section', { class: 'card stack', 'aria-labelledby': 'record-title' },
    h('h3', { id: 'record-title' }, t('act.record', { year })),
    h('p', {}, mine ? t('act.recorded', { version: mine.version, rows: fmt(mine.rows), by: mine.created_by || '' }) : t('act.none')),
    h('p', { class: 'muted' }, t('act.howto')),
    downloadLinks([[path, mine ? t('act.download') : t('act.template')]]),
    ctx.canPlan() ? h('div', { class: 'toolbar' }, field(t('act.file'), file),
      h('button', { type: 'button', onclick: upload }, t('act.upload'))) : null,
    message);
}

async function assessmentCard(plan, recorded) {
  const box = h('section', { class: 'card stack', 'aria-labelledby': 'assess-title' }, h('h3', { id: 'assess-title' }, t('act.assessment')));
  if (!recorded.length) { box.append(h('p', {}, t('act.assessment.none'))); return box; }
  const found = await api(`/plans/${plan.id}/assessment.json`);
  const low = found.scores.filter((s) => s.score < 100).sort((a, b) => a.score - b.score);
  const behind = getLang() === 'zh' && found.behind_zh ? found.behind_zh : found.behind;
  box.append(
    h('p', {}, t('act.assessment.lead', { years: found.years.join('、'), n: found.scores.length, low: low.length })),
    downloadLinks([[`/plans/${plan.id}/assessment.xlsx`, t('act.dl.xlsx')], [`/plans/${plan.id}/assessment.csv`, t('act.dl.csv')]]),
    low.length ? table([
      { key: 'county', title: t('act.county'), render: (s) => `${s.name} (${s.county_id})` },
      { key: 'score', title: t('act.score'), num: true, render: (s) => fmt(s.score, 1) },
      { key: 'rules', title: t('act.rules'), render: (s) => Object.entries(s.by_rule).filter(([, v]) => v < 100)
        .map(([rule, v]) => `${rule} ${fmt(v, 1)}`).join('；') },
    ], low, { caption: t('act.scores') }) : h('p', {}, t('act.all_full')),
    behind.length ? h('div', {}, h('h4', {}, t('act.behind')),
      h('ul', { 'data-testid': 'behind' }, behind.slice(0, 30).map((line) => h('li', {}, line)))) : null);
  return box;
}

function replanCard(plan, recorded) {
  const years = (YEARS[plan.round] || []).slice(1);
  const from = select(years.map((y) => [y, String(y)]), years[0], null);
  const message = h('div', { 'aria-live': 'assertive' });
  const start = async () => {
    try {
      const created = await api('/plans', { method: 'POST', body: { round: plan.round, base_plan_id: plan.id, from_year: Number(from.value) } });
      toast(t('plans.started', { id: created.id }));
      location.hash = `#/plans/${created.id}`;
    } catch (error) {
      message.replaceChildren(problem(error));
    }
  };
  return h('section', { class: 'card stack', 'aria-labelledby': 'replan-title' },
    h('h3', { id: 'replan-title' }, t('act.replan')),
    h('p', { class: 'muted' }, t('act.replan.lead', { years: recorded.map((r) => r.year).join('、') || t('none') })),
    h('div', { class: 'toolbar' }, field(t('act.from_year'), from), h('button', { type: 'button', onclick: start }, t('act.replan.start'))),
    message);
}

async function pairPlansCard(plan) {
  const lists = await Promise.all(['city_city', 'county_county'].map((kind) => api(`/plans/${plan.id}/pairs${query({ kind, limit: 500, sort: 'receiver' })}`)));
  const items = lists.flatMap((l) => l.items);
  return h('section', { class: 'card', 'aria-labelledby': 'pair-plans-title' },
    h('h3', { id: 'pair-plans-title' }, t('act.pair_plans')),
    h('p', {}, t('act.pair_plans.lead', { n: items.length })), table([
      { key: 'kind', title: t('col.kind'), render: (p) => label('kind', p.kind) },
      { key: 'supporter', title: t('col.supporter'), render: (p) => `${p.supporter_name} (${p.supporter_id})` },
      { key: 'receiver', title: t('col.receiver'), render: (p) => `${p.receiver_name} (${p.receiver_id})` },
      { key: 'xlsx', title: t('download'), render: (p) => h('a', { href: `/plans/${plan.id}/pairs/${p.supporter_id}_${p.receiver_id}.xlsx`, download: '',
        'aria-label': t('act.pair_plan.aria', { s: p.supporter_name, r: p.receiver_name }) }, 'XLSX') },
    ], items));
}

export async function render(main, { params, isCurrent }) {
  const plans = await donePlans();
  const plan = pickPlan(plans, params);
  if (!plan) { fill(main, h('h2', {}, t('act.title')), noPlan()); return; }
  const years = YEARS[plan.round] || [];
  const year = years.includes(Number(params.year)) ? Number(params.year) : years[0];
  setParams('actuals', { plan: plan.id, year });
  const recorded = await api(`/plans/${plan.id}/actuals`);
  if (!isCurrent()) return;
  const reload = () => { location.hash = `#/actuals?plan=${plan.id}&year=${year}&t=${Date.now()}`; };
  const parts = [
    h('h2', {}, t('act.title')),
    h('p', { class: 'muted' }, t('act.lead')),
    h('div', { class: 'toolbar' },
      planChooser(plans, plan.id, (id) => { location.hash = `#/actuals?plan=${id}`; }),
      field(t('dep.year'), select(years.map((y) => [y, String(y)]), year, (y) => { location.hash = `#/actuals?plan=${plan.id}&year=${y}`; }))),
    recordCard(plan, year, recorded, reload),
    await assessmentCard(plan, recorded),
  ];
  if (ctx.canPlan() && recorded.length) parts.push(replanCard(plan, recorded));
  parts.push(await pairPlansCard(plan));
  if (!isCurrent()) return;
  fill(main, ...parts);
}
