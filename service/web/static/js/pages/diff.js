// 对比: two plans side by side: the changed pairs on the map and in a table, and downloads.
import { api } from '../api.js';
import { label, t } from '../i18n.js';
import { downloadLinks, field, fmt, h, select, table, fill } from '../ui.js';
import { donePlans } from './common.js';
import { loadGeo } from './map.js';

const MAPPED = new Set(['city_city', 'county_county', 'normal_university_city', 'university_area']);
const COLOURS = { added: '#1e7d45', removed: '#b42318' };

export async function render(main, { params, isCurrent }) {
  const plans = await donePlans();
  fill(main, h('h2', {}, t('diff.title')));
  if (plans.length < 2) { main.append(h('p', { class: 'notice' }, t('diff.need_two'))); return; }
  const newId = Number(params.b) || plans[0].id;
  const oldId = Number(params.a) || plans.find((p) => p.id !== newId).id;
  const options = plans.map((p) => [p.id, t('plan.option', { id: p.id, round: p.round, status: t(`status.${p.status}`) })]);
  const oldSelect = select(options, oldId, null, { name: 'a' });
  const newSelect = select(options, newId, null, { name: 'b' });
  const form = h('form', { class: 'toolbar' }, field(t('diff.old'), oldSelect), field(t('diff.new'), newSelect),
    h('button', { type: 'submit' }, t('diff.show')));
  form.addEventListener('submit', (event) => { event.preventDefault(); location.hash = `#/diff?a=${oldSelect.value}&b=${newSelect.value}`; });
  main.append(form);
  const [diff, geo, newMap, oldMap] = await Promise.all([api(`/plans/${newId}/diff?against=${oldId}`), loadGeo(),
    api(`/plans/${newId}/map`), api(`/plans/${oldId}/map`)]);
  if (!isCurrent()) return;
  const rows = [];
  for (const [kind, d] of Object.entries(diff.kinds)) {
    for (const change of ['added', 'removed']) for (const ref of d[change]) rows.push({ kind, change, ...ref });
  }
  const points = { ...oldMap.points, ...newMap.points };
  const lines = (change) => rows.filter((r) => r.change === change && MAPPED.has(r.kind) && points[r.supporter_id] && points[r.receiver_id])
    .map((r) => ({ coords: [points[r.supporter_id], points[r.receiver_id]], name: `${r.supporter_name} → ${r.receiver_name}` }));
  const changedCounties = new Set(rows.filter((r) => r.kind === 'county_county').map((r) => r.receiver_id));
  const chartEl = h('div', { id: 'diff-chart', role: 'img', 'aria-label': t('diff.map'), 'data-changed-counties': changedCounties.size });
  main.append(
    h('section', { class: 'card', 'data-testid': 'diff-summary' },
      h('p', {}, h('strong', {}, `${t('plans.detail', { id: oldId })} → ${t('plans.detail', { id: newId })}`), '：',
        [t('diff.kept', { n: fmt(diff.kept) }), t('diff.added', { n: fmt(diff.added) }), t('diff.removed', { n: fmt(diff.removed) })].join('，')),
      h('ul', {}, Object.entries(diff.kinds).map(([kind, d]) => h('li', {}, `${label('kind', kind)}：`,
        [t('diff.kept', { n: fmt(d.kept) }), t('diff.added', { n: fmt(d.added.length) }), t('diff.removed', { n: fmt(d.removed.length) })].join('，'))))),
    downloadLinks([[`/plans/${newId}/diff.csv?against=${oldId}&header=zh`, `${t('dl.diff_csv')}（中文）`],
      [`/plans/${newId}/diff.csv?against=${oldId}`, t('dl.diff_csv')], [`/plans/${newId}/diff.xlsx?against=${oldId}`, t('dl.diff_xlsx')]]),
    h('div', { class: 'legend' }, h('strong', {}, `${t('diff.map')}：`),
      ['added', 'removed'].map((c) => h('span', {}, h('span', { class: 'swatch', style: { background: COLOURS[c] } }), t(`diff.change.${c}`)))),
    h('div', { class: 'map-layout' }, chartEl, h('div', { class: 'side' }, table([
      { key: 'change', title: t('diff.change'), render: (r) => h('span', { style: { color: COLOURS[r.change] } }, t(`diff.change.${r.change}`)) },
      { key: 'kind', title: t('col.kind'), render: (r) => label('kind', r.kind) },
      { key: 'supporter', title: t('col.supporter'), render: (r) => `${r.supporter_name} (${r.supporter_id})` },
      { key: 'receiver', title: t('col.receiver'), render: (r) => `${r.receiver_name} (${r.receiver_id})` },
    ], rows.slice(0, 2000), { caption: rows.length ? null : t('none') }))));
  const names = Object.fromEntries(geo.features.map((f) => [f.properties.name, f.properties.label]));
  const chart = window.echarts.init(chartEl);
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'item', formatter: (p) => (p.componentType === 'geo' ? names[p.name] || p.name : p.name) },
    geo: { map: 'guangdong', roam: true, tooltip: { show: true, formatter: (p) => names[p.name] || p.name }, aspectScale: 0.95, layoutCenter: ['50%', '50%'], layoutSize: '98%',
      itemStyle: { areaColor: '#eef1f4', borderColor: '#8a96a3', borderWidth: 0.6 },
      regions: [...changedCounties].map((name) => ({ name, itemStyle: { areaColor: '#ffe08a' } })) },
    series: ['added', 'removed'].map((change) => ({ type: 'lines', name: t(`diff.change.${change}`), coordinateSystem: 'geo', zlevel: 1,
      lineStyle: { color: COLOURS[change], width: 2, opacity: 0.85, curveness: 0.2, type: change === 'removed' ? 'dashed' : 'solid' }, data: lines(change) })),
  });
  window.addEventListener('hashchange', () => chart.dispose(), { once: true });
}
