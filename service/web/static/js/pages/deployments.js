// 年度安排: the annual deployments per year and flow, per county and supporter.
import { api, query } from '../api.js';
import { label, t } from '../i18n.js';
import { downloadLinks, field, fmt, h, pager, problem, select, table, fill } from '../ui.js';
import { donePlans, newestOnly, noPlan, pickPlan, planChooser, setParams } from './common.js';

export async function render(main, { params, isCurrent }) {
  const plans = await donePlans();
  const plan = pickPlan(plans, params);
  if (!plan) { fill(main, h('h2', {}, t('dep.title')), noPlan()); return; }
  const state = { year: params.year || '', flow: params.flow || '', q: params.q || '', offset: 0, limit: 50 };
  const summary = h('div', {});
  const rows = h('div', { 'aria-live': 'polite' });
  const filters = h('div', { class: 'toolbar' });
  const search = h('input', { type: 'search', value: state.q, placeholder: t('dep.q') });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { state.q = search.value; state.offset = 0; load(); }, 250); });

  const next = newestOnly();
  async function load() {
    const fresh = next();
    setParams('deployments', { plan: plan.id, year: state.year, flow: state.flow, q: state.q });
    try {
      const page = await api(`/plans/${plan.id}/deployments${query({ ...state })}`);
      if (!isCurrent() || !fresh()) return;
      if (!filters.childElementCount) {
        filters.append(
          field(t('dep.year'), select([['', t('filter.all')], ...page.years.map((y) => [y, String(y)])], state.year, (y) => { state.year = y; state.offset = 0; load(); })),
          field(t('dep.flow'), select([['', t('filter.all')], ...page.flows.map((f) => [f, label('flow', f)])], state.flow, (f) => { state.flow = f; state.offset = 0; load(); })),
          field(t('search'), search));
      }
      const years = page.years.filter((y) => !state.year || String(y) === String(state.year)).map(String);
      summary.replaceChildren(h('h3', {}, t('dep.summary')), table(
        [{ key: 'flow', title: t('col.flow') }, ...years.map((y) => ({ key: y, title: y, num: true }))],
        Object.entries(page.summary).sort().map(([flow, byYear]) => Object.fromEntries([['flow', label('flow', flow)],
          ...years.map((y) => [y, byYear[y] ? fmt(byYear[y].people) : '–'])]))));
      const move = (offset) => { state.offset = offset; load(); };
      rows.replaceChildren(h('h3', {}, t('dep.rows')), pager(page.total, page.offset, page.limit, move), table([
        { key: 'year', title: t('col.year') },
        { key: 'flow', title: t('col.flow'), render: (r) => label('flow', r.flow) },
        { key: 'from', title: t('col.from'), render: (r) => (r.from_id ? `${r.from_name} (${r.from_id})` : '') },
        { key: 'to', title: t('col.to'), render: (r) => (r.to_id ? `${r.to_name} (${r.to_id})` : '') },
        { key: 'teams', title: t('col.teams'), num: true, render: (r) => fmt(r.teams || 0) },
        { key: 'people', title: t('col.people'), num: true, render: (r) => fmt(r.people || 0) },
        { key: 'note', title: t('col.note') },
      ], page.items));
    } catch (error) {
      if (fresh()) rows.replaceChildren(problem(error));
    }
  }

  fill(main, 
    h('h2', {}, t('dep.title')),
    h('div', { class: 'toolbar' }, planChooser(plans, plan.id, (id) => { location.hash = `#/deployments?plan=${id}`; })),
    filters,
    downloadLinks([[`/plans/${plan.id}/deployments.xlsx`, t('dl.deployments_xlsx')], [`/plans/${plan.id}/deployments.csv`, t('dl.deployments_csv')]]),
    summary, rows);
  await load();
}
