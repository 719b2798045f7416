// 方案: start a plan (round, base plan, pins), watch its progress, read its outcome: status,
// the rule report in Chinese, the yearly shortfalls, and the explanation when no plan exists.
import { api, query } from '../api.js';
import { label, t } from '../i18n.js';
import { downloadLinks, field, fmt, h, problem, select, status, table, toast, when, fill } from '../ui.js';
import { ctx } from '../app.js';
import { pairDownloads } from './pairs.js';

const ROUNDS = ['2021-2025', '2026-2030', '2031-2035'];
const PHASES = ['city_city+county_county', 'normal_university_city', 'university_area', 'intra_region(counties)', 'deployments'];
const FINISHED = new Set(['done', 'infeasible', 'failed', 'cancelled']);

function parsePins(text) {
  const pins = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const [kind, supporter, receiver, action = 'fix'] = line.split(/[,，\t]/).map((s) => s.trim());
    if (!kind || !supporter || !receiver) throw new Error(t('plans.pins.bad', { n: index + 1 }));
    pins.push({ kind, supporter_id: supporter, receiver_id: receiver, action });
  });
  return pins;
}

function newPlanForm(plans) {
  const round = select(ROUNDS.map((r) => [r, r]), ROUNDS[0], null, { name: 'round' });
  const base = select([['', t('plans.base.none')], ...plans.filter((p) => p.status === 'done')
    .map((p) => [p.id, t('plan.option', { id: p.id, round: p.round, status: t(`status.${p.status}`) })])], '', null, { name: 'base' });
  const pins = h('textarea', { rows: 3, cols: 60, name: 'pins', placeholder: 'county_county,441900004,440203,fix' });
  const message = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'card stack', 'aria-labelledby': 'new-plan' },
    h('h3', { id: 'new-plan' }, t('plans.new')),
    h('div', { class: 'toolbar' }, field(t('plans.round'), round), field(t('plans.base'), base)),
    h('div', {}, field(t('plans.pins'), pins)),
    h('p', {}, h('button', { type: 'submit' }, t('plans.start'))), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const body = { round: round.value, pins: parsePins(pins.value) };
      if (base.value) body.base_plan_id = Number(base.value);
      const created = await api('/plans', { method: 'POST', body });
      toast(t('plans.started', { id: created.id }));
      location.hash = `#/plans/${created.id}`;
    } catch (error) {
      message.replaceChildren(error.status ? problem(error) : h('p', { class: 'error', role: 'alert' }, error.message));
    }
  });
  return form;
}

// The solver's lines read "capacity: …" or "pin: …": the kind of condition in the user's language.
function explainLine(line) {
  const [, kind, rest] = line.match(/^(\w+): (.*)$/) || [null, null, line];
  return h('li', {}, kind ? [h('strong', {}, `${label('explain', kind)}：`), rest] : line);
}

function progressBlock(plan) {
  const finished = FINISHED.has(plan.status);
  const phase = plan.progress?.phase;
  const index = phase ? PHASES.indexOf(phase) : -1;
  const percent = plan.status === 'done' ? 100 : finished ? 100 : index >= 0 ? Math.round((100 * (index + 0.5)) / PHASES.length) : 2;
  const phaseText = finished ? t(plan.status === 'done' ? 'phase.done' : `status.${plan.status}`)
    : phase ? label('phase', phase) : t('phase.waiting');
  const p = plan.progress || {};
  return h('section', { class: 'card', 'aria-labelledby': 'progress-title' },
    h('h3', { id: 'progress-title' }, t('plans.progress'), ' ', status(plan.status)),
    h('div', { class: `progress ${finished ? plan.status : ''}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-valuenow': percent, 'aria-valuetext': `${percent}% ${phaseText}`, 'aria-label': t('plans.progress'), 'data-status': plan.status },
    h('div', { style: { width: `${percent}%` } })),
    h('p', {}, `${t('plans.phase')}：${phaseText}`,
      finished ? '' : ` · ${t('plans.best')}：${fmt(p.best_objective)} · ${t('bound')}：${fmt(p.bound)} · ${t('gap')}：${p.gap === null || p.gap === undefined ? '–' : `${fmt(p.gap * 100, 2)}%`}`,
      p.elapsed_s ? ` · ${t('plans.elapsed', { s: fmt(p.elapsed_s, 1) })}` : ''));
}

function reportBlock(plan) {
  const rules = plan.report?.rules || [];
  return h('section', { class: 'card', 'aria-labelledby': 'report-title' },
    h('h3', { id: 'report-title' }, t('plans.report')),
    table([
      { key: 'id', title: t('plans.rule') },
      { key: 'title', title: t('plans.rule.title'), render: (r) => h('div', {}, label('rule', r.id),
        r.clause ? h('details', {}, h('summary', {}, t('plans.rule.clause')), h('p', {}, r.clause)) : null) },
      { key: 'status', title: t('plans.rule.status'), render: (r) => status(r.status) },
      { key: 'violations', title: t('plans.rule.violations'), render: (r) => (r.violations.length
        ? h('ul', {}, r.violations.slice(0, 20).map((v) => h('li', {}, v.message))) : '') },
    ], rules));
}

async function shortfalls(plan, container) {
  const page = await api(`/plans/${plan.id}/deployments${query({ flow: 'shortfall', limit: 200 })}`);
  container.replaceChildren(h('h3', {}, t('plans.shortfalls')), page.total ? table([
    { key: 'year', title: t('col.year') }, { key: 'to', title: t('col.to'), render: (r) => `${r.to_name} (${r.to_id})` },
    { key: 'teams', title: t('col.teams'), num: true }, { key: 'people', title: t('col.people'), num: true },
    { key: 'rule', title: t('plans.rule') }, { key: 'note', title: t('col.note') },
  ], page.items) : h('p', {}, t('plans.shortfalls.none')));
}

// R37: the costs of each year and the payers whose cost exceeds their budgets.csv budget.
function budgetBlock(plan) {
  const dep = plan.report?.deployments;
  if (!dep || !dep.cost_yuan_by_year) return null;
  const over = dep.over_budget || [];
  return h('section', { class: 'card', 'data-testid': 'over-budget' },
    h('h3', {}, t('plans.costs')),
    h('p', {}, `${t('plans.costs.by_year')}：`, Object.entries(dep.cost_yuan_by_year).map(([y, v]) => h('span', { class: 'pill' }, `${y} ${fmt(v)}`))),
    h('h4', {}, t('plans.over_budget')),
    over.length ? table([
      { key: 'party', title: t('col.party'), render: (o) => `${o.name} (${o.party_id})` },
      { key: 'year', title: t('col.year') },
      { key: 'cost', title: t('col.cost'), num: true, render: (o) => fmt(o.cost) },
      { key: 'budget', title: t('col.budget'), num: true, render: (o) => fmt(o.budget) },
      { key: 'over', title: t('col.over'), num: true, render: (o) => fmt(o.over) },
    ], over.slice(0, 100)) : h('p', {}, t('plans.over_budget.none')),
    downloadLinks([[`/plans/${plan.id}/costs.csv`, t('dl.costs_csv')]]));
}

async function detail(main, id, isCurrent) {
  const outcome = h('div', {});
  const progress = h('div', {});
  const headline = h('div', {});
  fill(main, h('h2', {}, t('plans.detail', { id })), h('p', {}, h('a', { href: '#/plans' }, t('plans.list'))), headline, progress, outcome);
  let plan;
  const cancel = async () => {
    try {
      await api(`/plans/${id}/cancel`, { method: 'POST' });
      toast(t('plans.cancel.asked', { id }));
    } catch (error) {
      headline.append(problem(error));
    }
  };
  for (;;) {
    plan = await api(`/plans/${id}`);
    if (!isCurrent()) return;
    const stoppable = !FINISHED.has(plan.status) && ctx.canPlan() && !plan.cancel_requested_at;
    headline.replaceChildren(h('p', {}, `${t('round')} ${plan.round} · ${t('roster_version')} ${plan.roster_version} · ${t('created_by')} ${plan.created_by} · ${when(plan.created_at)}`,
      plan.base_plan_id ? [' · ', t('base_plan'), ' ', h('a', { href: `#/plans/${plan.base_plan_id}` }, String(plan.base_plan_id))] : ''),
      stoppable ? h('p', {}, h('button', { type: 'button', class: 'secondary', 'data-testid': 'cancel-plan', onclick: cancel }, t('plans.cancel'))) : null);
    progress.replaceChildren(progressBlock(plan));
    if (FINISHED.has(plan.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  const parts = [h('section', { class: 'card', 'aria-labelledby': 'outcome-title' },
    h('h3', { id: 'outcome-title' }, t('plans.outcome'), ' ', status(plan.status)),
    h('p', {}, `${t('objective')} ${fmt(plan.objective)} · ${t('bound')} ${fmt(plan.bound)} · ${t('gap')} ${plan.gap === null ? '–' : `${fmt(plan.gap * 100, 2)}%`} · ${t('runtime')} ${fmt(plan.runtime_s, 1)} s`),
    plan.pairs_by_kind ? h('p', {}, `${t('plans.pairs_by_kind')}：`, Object.entries(plan.pairs_by_kind).map(([k, n]) => h('span', { class: 'pill' }, `${label('kind', k)} ${fmt(n)}`))) : null,
    plan.explanation?.length ? h('div', { class: 'problem', 'data-testid': 'explanation' }, h('strong', {}, t('plans.explanation')),
      h('p', {}, t('plans.explanation.lead')), h('ul', {}, plan.explanation.map(explainLine))) : null,
    plan.error ? h('p', { class: 'error' }, `${t('plans.error')}：${plan.status === 'infeasible' ? t('plans.error.infeasible') : plan.error}`) : null,
    plan.status === 'done' ? pairDownloads(plan.id) : null,
    plan.status === 'done' && plan.base_plan_id ? h('p', {}, h('a', { href: `#/diff?a=${plan.base_plan_id}&b=${plan.id}` }, t('plans.compare'))) : null,
    plan.status === 'done' ? h('p', {}, h('a', { href: `#/actuals?plan=${plan.id}` }, t('act.title'))) : null)];
  const shortBox = h('section', { class: 'card' });
  if (plan.status === 'done') parts.push(shortBox);
  if (plan.status === 'done' && budgetBlock(plan)) parts.push(budgetBlock(plan));
  if (plan.report) parts.push(reportBlock(plan));
  outcome.replaceChildren(...parts);
  if (plan.status === 'done') await shortfalls(plan, shortBox);
}

export async function render(main, { rest, isCurrent }) {
  if (rest[0]) { await detail(main, Number(rest[0]), isCurrent); return; }
  const plans = await api('/plans?limit=100');
  fill(main, 
    h('h2', {}, t('plans.title')),
    ctx.canPlan() ? newPlanForm(plans)
      : h('p', { class: 'notice' }, ctx.scope ? t('access.scoped', { city: ctx.scope }) : t('access.viewer')),
    h('section', { class: 'card' }, h('h3', {}, t('plans.list')), table([
      { key: 'id', title: '#', render: (p) => h('a', { href: `#/plans/${p.id}` }, t('plans.detail', { id: p.id })) },
      { key: 'round', title: t('round') },
      { key: 'status', title: t('status'), render: (p) => status(p.status) },
      { key: 'roster_version', title: t('roster_version'), num: true },
      { key: 'base_plan_id', title: t('base_plan'), num: true },
      { key: 'objective', title: t('objective'), num: true, render: (p) => fmt(p.objective) },
      { key: 'gap', title: t('gap'), num: true, render: (p) => (p.gap === null ? '–' : `${fmt(p.gap * 100, 2)}%`) },
      { key: 'created_by', title: t('created_by') },
      { key: 'created_at', title: t('created'), render: (p) => when(p.created_at) },
    ], plans)));
}
