// 地图: Guangdong's counties, receivers coloured by their supporter city, supporter → receiver
// lines per kind (each on or off), and a county's partners, deployments and why on click.
import { api } from '../api.js';
import { label, t } from '../i18n.js';
import { field, fmt, h, problem, select, table, fill } from '../ui.js';
import { donePlans, noPlan, pickPlan, planChooser, setParams } from './common.js';
import { whyButton } from './why.js';

export const PALETTE = ['#d94841', '#2f7ed8', '#e29f1b', '#3a9d5d', '#8e5cc4', '#1aa3a3', '#c9557f', '#7a8b1f', '#b5651d', '#5066a0'];
export const KIND_COLOURS = {
  city_city: '#c0392b', county_county: '#1d5fa8', normal_university_city: '#8e44ad', university_area: '#16a085',
  institute_institute: '#d35400', school_school: '#7f8c8d', intra_region: '#27ae60',
};
const SHOWN = new Set(['county_county']);
let geoCache = null;

export async function loadGeo() {
  if (!geoCache) {
    const response = await fetch('/static/map/guangdong.json');
    geoCache = await response.json();
    window.echarts.registerMap('guangdong', geoCache);
  }
  return geoCache;
}

function inside(point, ring) {
  let found = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > point[1]) !== (yj > point[1]) && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) found = !found;
  }
  return found;
}

// A point well inside a county's outline (not in a hole, e.g. 梅县区 around 梅江区): the grid
// point of its largest polygon farthest from every edge vertex.
export function interiorPoint(feature) {
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  const biggest = polygons.reduce((a, b) => (b[0].length > a[0].length ? b : a));
  const xs = biggest[0].map((p) => p[0]);
  const ys = biggest[0].map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const vertices = biggest.flat();
  let best = null;
  let bestDistance = -1;
  for (let i = 1; i < 24; i++) {
    for (let j = 1; j < 24; j++) {
      const p = [x0 + ((x1 - x0) * i) / 24, y0 + ((y1 - y0) * j) / 24];
      if (!inside(p, biggest[0]) || biggest.slice(1).some((hole) => inside(p, hole))) continue;
      const d = Math.min(...vertices.map((v) => (v[0] - p[0]) ** 2 + (v[1] - p[1]) ** 2));
      if (d > bestDistance) { best = p; bestDistance = d; }
    }
  }
  return best || biggest[0][0];
}

export function cityColours(data) {
  const supporting = [...new Set(data.receivers.map((r) => r.supporter_city_id))].sort();
  return Object.fromEntries(supporting.map((cid, i) => [cid, PALETTE[i % PALETTE.length]]));
}

function chartOption(geo, data, colours, shown) {
  const outlined = new Set(geo.features.map((f) => f.properties.name));
  const regions = data.receivers.filter((r) => outlined.has(r.area_id))
    .map((r) => ({ name: r.area_id, itemStyle: { areaColor: colours[r.supporter_city_id] } }));
  // Supporter units (and 东莞/中山, outlined as cities) in a pale tint of their city's colour.
  const supporterRegions = geo.features.filter((f) => colours[f.properties.city] && !regions.some((r) => r.name === f.properties.name))
    .map((f) => ({ name: f.properties.name, itemStyle: { areaColor: `${colours[f.properties.city]}55` } }));
  const names = Object.fromEntries(geo.features.map((f) => [f.properties.name, f.properties.label]));
  const point = (id) => data.points[id];
  const series = Object.entries(data.lines).filter(([kind]) => shown.has(kind)).map(([kind, lines]) => ({
    type: 'lines', name: label('kind', kind), coordinateSystem: 'geo', zlevel: 1, silent: true,
    lineStyle: { color: KIND_COLOURS[kind], width: kind === 'county_county' || kind === 'city_city' ? 1.4 : 1, opacity: 0.7, curveness: 0.15 },
    data: lines.filter((l) => point(l.from) && point(l.to)).map((l) => ({ coords: [point(l.from), point(l.to)], value: l.count })),
  }));
  // Supporters without an outline of their own (东莞/中山 镇街, 光明区) as points where lines start.
  const pointIds = new Set(data.receivers.map((r) => r.supporter_id).filter((id) => !outlined.has(id)));
  series.push({
    type: 'scatter', name: t('map.township_points'), coordinateSystem: 'geo', zlevel: 2, symbolSize: 6,
    itemStyle: { color: '#333' },
    data: [...pointIds].filter(point).map((id) => ({ name: id, value: point(id), label: data.names[id] || id })),
    tooltip: { formatter: (p) => `${p.data.label}（${t('map.no_outline')}）` },
  });
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p) => (p.componentType === 'geo' ? names[p.name] || p.name : p.name) },
    geo: {
      map: 'guangdong', roam: true, tooltip: { show: true, formatter: (p) => names[p.name] || p.name }, aspectScale: 0.95, layoutCenter: ['50%', '50%'], layoutSize: '98%',
      itemStyle: { areaColor: '#eef1f4', borderColor: '#8a96a3', borderWidth: 0.6 },
      emphasis: { itemStyle: { areaColor: '#ffd666' }, label: { show: true, formatter: (p) => names[p.name] || p.name } },
      select: { itemStyle: { areaColor: '#ffb300' }, label: { show: true, formatter: (p) => names[p.name] || p.name } },
      selectedMode: 'single', label: { show: false },
      regions: [...regions, ...supporterRegions],
    },
    series,
  };
}

function countyPanel(detail, planId) {
  const partnerRows = detail.partners.map((p) => ({ ...p }));
  const years = Object.keys(detail.deployments_by_year).sort();
  const flows = [...new Set(years.flatMap((y) => Object.keys(detail.deployments_by_year[y])))].sort();
  const depTable = years.length ? table([
    { key: 'flow', title: t('col.flow') },
    ...years.map((y) => ({ key: y, title: y, num: true })),
  ], flows.map((flow) => Object.fromEntries([['flow', label('flow', flow)],
    ...years.map((y) => [y, detail.deployments_by_year[y][flow] ? fmt(detail.deployments_by_year[y][flow].people) : '–'])]))) : h('p', { class: 'muted' }, t('none'));
  const pairTable = (rows, who) => table([
    { key: 'kind', title: t('col.kind'), render: (p) => label('kind', p.kind) },
    { key: who, title: who === 'supporter' ? t('map.supporter') : t('map.receiver'),
      render: (p) => `${p[`${who}_name`]}（${p[`${who}_city`] || p[`${who}_id`]}）` },
    { key: 'total', title: t('col.total'), num: true, render: (p) => fmt(p.total) },
    { key: 'why', title: t('col.why'), render: (p) => whyButton(planId, p) },
  ], rows);
  const schoolList = (items) => h('ul', {}, items.map((s) => h('li', {}, `${s.name}：${t('map.pairs_n', { n: fmt(s.pairs) })}`)));
  return h('div', { class: 'stack', 'data-testid': 'county-detail', 'data-area': detail.area_id },
    h('h3', {}, `${detail.name}（${detail.city_name}，${detail.area_id}）`),
    detail.short ? h('p', { class: 'error' }, t('map.short')) : null,
    partnerRows.length ? [h('h4', {}, t('map.partners')), pairTable(partnerRows, 'supporter')] : null,
    detail.as_supporter.length ? [h('h4', {}, t('map.as_supporter')), pairTable(detail.as_supporter, 'receiver')] : null,
    detail.school_supporters.length ? [h('h4', {}, t('map.schools')), schoolList(detail.school_supporters)] : null,
    detail.school_receivers.length ? [h('h4', {}, t('map.school_receivers')), schoolList(detail.school_receivers)] : null,
    detail.intra_region_pairs ? h('p', {}, t('map.intra', { n: fmt(detail.intra_region_pairs) })) : null,
    h('h4', {}, t('map.deployments')), depTable);
}

export async function render(main, { params, isCurrent }) {
  const plans = await donePlans();
  const plan = pickPlan(plans, params);
  if (!plan) { fill(main, h('h2', {}, t('map.title')), noPlan()); return; }
  const [geo, data] = await Promise.all([loadGeo(), api(`/plans/${plan.id}/map`)]);
  if (!isCurrent()) return;
  const colours = cityColours(data);
  const outlined = new Set(geo.features.map((f) => f.properties.name));
  const chartEl = h('div', { id: 'map-chart', role: 'img', 'aria-label': t('map.legend'),
    'data-coloured-counties': data.receivers.filter((r) => outlined.has(r.area_id)).length });
  const side = h('div', { class: 'side card', 'aria-live': 'polite' });
  const features = Object.fromEntries(geo.features.map((f) => [f.properties.name, f]));
  const countyOptions = [['', t('map.choose')], ...geo.features.filter((f) => f.properties.level === 'area')
    .sort((a, b) => a.properties.name.localeCompare(b.properties.name))
    .map((f) => [f.properties.name, `${f.properties.label}（${data.cities[f.properties.city] || ''}）`])];
  let chart = null;

  async function showCounty(areaId) {
    if (!areaId) return;
    countySelect.value = areaId;
    chartEl.dataset.selected = areaId;
    setParams('map', { plan: plan.id, county: areaId });
    if (chart && features[areaId]) chart.dispatchAction({ type: 'geoSelect', geoIndex: 0, name: areaId });
    side.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    try {
      side.replaceChildren(countyPanel(await api(`/plans/${plan.id}/areas/${areaId}`), plan.id));
    } catch (error) {
      side.replaceChildren(problem(error));
    }
  }

  const countySelect = select(countyOptions, params.county || '', showCounty);
  const toggles = h('fieldset', { class: 'toolbar' }, h('legend', {}, t('map.kinds')),
    Object.keys(data.lines).map((kind) => {
      const box = h('input', { type: 'checkbox', checked: SHOWN.has(kind), id: `kind-${kind}`, 'data-kind': kind });
      box.addEventListener('change', () => {
        if (box.checked) SHOWN.add(kind); else SHOWN.delete(kind);
        chart.setOption(chartOption(geo, data, colours, SHOWN), { replaceMerge: ['series'] });
      });
      return h('label', { for: `kind-${kind}` }, box, h('span', { class: 'swatch', style: { background: KIND_COLOURS[kind] } }), label('kind', kind));
    }));
  const legend = h('div', { class: 'legend', 'aria-label': t('map.legend') }, h('strong', {}, `${t('map.legend')}：`),
    Object.entries(colours).map(([cid, colour]) => h('span', {}, h('span', { class: 'swatch', style: { background: colour } }), data.cities[cid])));
  fill(main, 
    h('h2', {}, t('map.title')),
    h('div', { class: 'toolbar' }, planChooser(plans, plan.id, (id) => { location.hash = `#/map?plan=${id}`; }),
      h('span', { class: 'muted', 'data-testid': 'coloured' }, t('map.coloured', { n: chartEl.dataset.colouredCounties }))),
    toggles, legend,
    h('div', { class: 'map-layout' }, chartEl,
      h('div', {}, h('p', {}, t('map.click')), field(t('map.county'), countySelect), side)));
  chart = window.echarts.init(chartEl, null, { renderer: 'canvas' });
  chart.setOption(chartOption(geo, data, colours, SHOWN));
  chart.on('click', (p) => {
    if (p.componentType === 'geo') showCounty(p.name);
    else if (p.seriesType === 'scatter') showCounty(p.name);
  });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  window.addEventListener('hashchange', () => { window.removeEventListener('resize', resize); chart.dispose(); }, { once: true });
  // For tests and tools: where a county is drawn on the screen.
  window.gdMap = {
    chart,
    pixelOf(areaId) {
      const [x, y] = chart.convertToPixel({ geoIndex: 0 }, interiorPoint(features[areaId]));
      const box = chartEl.getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    },
  };
  if (params.county) showCounty(params.county);
}
