// 结对: every kind, filtered, searched, sorted and paged on the server; a why panel per pair.
import { api, query } from '../api.js';
import { label, t } from '../i18n.js';
import { downloadLinks, field, fmt, h, pager, problem, select, table, fill } from '../ui.js';
import { donePlans, newestOnly, noPlan, pickPlan, planChooser, setParams } from './common.js';
import { whyButton } from './why.js';

const KINDS = ['city_city', 'county_county', 'normal_university_city', 'university_area', 'institute_institute', 'school_school', 'intra_region'];

export function pairDownloads(planId) {
  const base = `/plans/${planId}`;
  return downloadLinks([
    [`${base}/pairs.csv?header=zh`, t('dl.pairs_csv_zh')], [`${base}/pairs.csv`, t('dl.pairs_csv')],
    [`${base}/pairs.xlsx`, t('dl.pairs_xlsx')], [`${base}/deployments.csv`, t('dl.deployments_csv')],
    [`${base}/deployments.xlsx`, t('dl.deployments_xlsx')], [`${base}/report.json`, t('dl.report')]]);
}

export async function render(main, { params, isCurrent }) {
  const plans = await donePlans();
  const plan = pickPlan(plans, params);
  if (!plan) { fill(main, h('h2', {}, t('pairs.title')), noPlan()); return; }
  const state = { kind: params.kind || '', q: params.q || '', sort: params.sort || 'kind', offset: Number(params.offset) || 0, limit: Number(params.limit) || 50 };
  const results = h('div', { 'aria-live': 'polite' });
  const search = h('input', { type: 'search', value: state.q, placeholder: t('pairs.q') });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { state.q = search.value; state.offset = 0; load(); }, 250); });

  const columns = [
    { key: 'kind', title: t('col.kind'), sort: 'kind', render: (p) => label('kind', p.kind) },
    { key: 'supporter', title: t('col.supporter'), sort: 'supporter', render: (p) => `${p.supporter_name} (${p.supporter_id})` },
    { key: 'supporter_city', title: t('col.supporter_city') },
    { key: 'receiver', title: t('col.receiver'), sort: 'receiver', render: (p) => `${p.receiver_name} (${p.receiver_id})` },
    { key: 'receiver_city', title: t('col.receiver_city') },
    { key: 'distance', title: t('col.distance'), num: true, sort: 'distance', render: (p) => fmt(p.distance_km, 1) },
    { key: 'total', title: t('col.total'), num: true, sort: 'total', render: (p) => fmt(p.total) },
    { key: 'terms', title: t('col.terms'), render: (p) => Object.entries(p.terms).map(([k, v]) => `${label('term', k)} ${v}`).join('；') },
    { key: 'pinned', title: t('col.pinned'), render: (p) => (p.pinned ? t('yes') : '') },
    { key: 'why', title: t('col.why'), render: (p) => whyButton(plan.id, p) },
  ];

  const next = newestOnly();
  async function load() {
    const fresh = next();
    setParams('pairs', { plan: plan.id, kind: state.kind, q: state.q, sort: state.sort === 'kind' ? '' : state.sort, offset: state.offset || '' });
    try {
      const page = await api(`/plans/${plan.id}/pairs${query({ kind: state.kind, q: state.q, sort: state.sort, offset: state.offset, limit: state.limit })}`);
      if (!isCurrent() || !fresh()) return;
      const move = (offset) => { state.offset = offset; load(); };
      results.replaceChildren(pager(page.total, page.offset, page.limit, move),
        table(columns, page.items, { sort: state.sort, onSort: (sort) => { state.sort = sort; state.offset = 0; load(); } }),
        pager(page.total, page.offset, page.limit, move));
      results.dataset.total = page.total;
    } catch (error) {
      if (fresh()) results.replaceChildren(problem(error));
    }
  }

  fill(main, 
    h('h2', {}, t('pairs.title')),
    h('div', { class: 'toolbar' },
      planChooser(plans, plan.id, (id) => { location.hash = `#/pairs?plan=${id}`; }),
      field(t('pairs.kind'), select([['', t('filter.all')], ...KINDS.map((k) => [k, label('kind', k)])], state.kind,
        (kind) => { state.kind = kind; state.offset = 0; load(); })),
      field(t('search'), search),
      field(t('page.size'), select([[25, '25'], [50, '50'], [100, '100'], [200, '200']], state.limit,
        (limit) => { state.limit = Number(limit); state.offset = 0; load(); }))),
    pairDownloads(plan.id),
    results);
  await load();
}
