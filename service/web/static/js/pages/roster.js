// 名册: each table with filters; edit a row (If-Match handled, a 409 offers a reload); upload a
// CSV or XLSX with each problem next to its row; the version history with who, when and what.
import { api, ApiError, query } from '../api.js';
import { label, t } from '../i18n.js';
import { dialog, field, fmt, h, pager, problem, select, table, toast, uid, when, fill } from '../ui.js';
import { ctx } from '../app.js';
import { newestOnly, setParams } from './common.js';

const TABLES = ['cities', 'areas', 'universities', 'institutes', 'schools'];
// Columns offered as exact-match filters, with their values.
const FILTERS = {
  cities: { zone: ['prd', 'east', 'west', 'north'], receives: ['true', 'false'], supports: ['true', 'false'] },
  areas: { role: ['supporter', 'receiver', 'none'], type: ['district', 'county_city', 'county', 'autonomous_county', 'subdistrict', 'town'] },
  universities: { kind: ['normal', 'non_normal'], role: ['supporter', 'none'], tier: ['1', '2', '3'] },
  institutes: { level: ['province', 'city', 'county'] },
  schools: { stage: ['kindergarten', 'primary', 'junior', 'nine_year', 'senior', 'complete_secondary', 'special'], location: ['urban', 'township', 'rural'], priority: ['true', 'false'] },
};
const SHOWN = {
  cities: ['city_id', 'name', 'zone', 'receives', 'supports', 'capacity', 'lat', 'lon', 'send_capacity', 'host_capacity'],
  areas: ['area_id', 'name', 'city_id', 'type', 'role', 'population', 'teachers', 'schools', 'central_soviet', 'old_revolutionary', 'ethnic', 'capacity'],
  universities: ['university_id', 'name', 'city_id', 'kind', 'level', 'tier', 'role', 'capacity', 'cooperation'],
  institutes: ['institute_id', 'name', 'level', 'area_id', 'city_id', 'send_capacity', 'host_capacity'],
  schools: ['school_id', 'name', 'area_id', 'stage', 'location', 'teachers', 'priority'],
};
const NUMERIC = new Set(['capacity', 'lat', 'lon', 'population', 'teachers', 'schools', 'tier', 'send_capacity', 'host_capacity']);
const ENUMS = new Set(['zone', 'type', 'role', 'kind', 'level', 'stage', 'location']);
const cell = (v, column) => (v === true ? t('yes') : v === false ? t('no') : ENUMS.has(column) && v ? label('v', v) : v ?? '');

function editDialog(tableName, page, row, reload) {
  const idColumn = page.id_column;
  const inputs = {};
  const status = h('div', { 'aria-live': 'assertive' });
  const grid = h('div', { class: 'form-grid' }, page.columns.map((column) => {
    const value = row[column];
    const id = uid('edit');
    const input = typeof value === 'boolean'
      ? select([['true', t('yes')], ['false', t('no')]], String(value), null, { id, name: column })
      : h('input', { id, name: column, value: value ?? '', readonly: column === idColumn, size: 40 });
    inputs[column] = input;
    return [h('label', { for: id }, `${label('c', column)} (${column})`), input];
  }));
  const message = h('input', { id: uid('msg'), size: 40 });
  const save = h('button', { type: 'submit' }, t('save'));
  const previewButton = h('button', { type: 'button', class: 'secondary' }, t('preview.button'));
  const previewBox = h('div', { 'aria-live': 'polite', 'data-testid': 'preview' });
  const form = h('form', { class: 'stack' }, grid, field(t('roster.edit.message'), message), status,
    h('p', {}, save, ' ', previewButton), previewBox);
  const box = dialog(t('roster.edit.title', { table: label('table', tableName), id: row[idColumn] }), form);
  const changedFields = () => {
    const fields = {};
    for (const [column, input] of Object.entries(inputs)) {
      const before = row[column] === null || row[column] === undefined ? '' : String(row[column]);
      if (column !== idColumn && input.value !== before) fields[column] = input.value;
    }
    return fields;
  };
  previewButton.addEventListener('click', async () => {
    previewButton.disabled = true;
    previewBox.replaceChildren(h('p', {}, t('preview.running')));
    try {
      const done = await api(`/plans${query({ status: 'done', limit: 1 })}`);
      if (!done.length) {
        previewBox.replaceChildren(h('p', {}, t('preview.no_plan')));
        return;
      }
      const result = await api('/plans/preview', {
        method: 'POST',
        body: { changes: [{ op: 'update', table: tableName, id: row[idColumn], fields: changedFields() }], base_plan_id: done[0].id },
      });
      const delta = result.objective === null ? null : result.score - result.base_score;
      const changed = Object.entries(result.kinds).flatMap(([kind, d]) => [
        ...d.removed.map((p) => ({ kind, sign: '−', ...p })), ...d.added.map((p) => ({ kind, sign: '+', ...p }))]);
      previewBox.replaceChildren(h('div', { class: 'card stack' },
        h('p', {}, t('preview.summary', { plan: result.base_plan_id, added: result.added, removed: result.removed, status: result.status,
          delta: delta === null ? '–' : `${delta > 0 ? '+' : ''}${fmt(delta)}` })),
        changed.length ? table([
          { key: 'sign', title: '±' },
          { key: 'kind', title: t('preview.kind'), render: (p) => label('kind', p.kind) },
          { key: 'supporter_name', title: t('preview.supporter') },
          { key: 'receiver_name', title: t('preview.receiver') },
        ], changed.slice(0, 50)) : null));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        previewBox.replaceChildren(h('div', { class: 'problem', role: 'alert' }, h('p', {}, t('roster.invalid')),
          h('ul', {}, (error.body.errors || []).map((e) => h('li', {}, `${e.field ? `${label('c', e.field)}: ` : ''}${e.message}`)))));
      } else {
        previewBox.replaceChildren(problem(error));
      }
    } finally {
      previewButton.disabled = false;
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = changedFields();
    save.disabled = true;
    try {
      const result = await api('/rosters/current/changes', {
        method: 'POST', headers: { 'If-Match': page.etag },
        body: { changes: [{ op: 'update', table: tableName, id: row[idColumn], fields }], message: message.value },
      });
      box.close();
      toast(result._status === 201 ? t('roster.saved', { v: result.version }) : t('roster.unchanged'));
      reload();
    } catch (error) {
      save.disabled = false;
      if (error instanceof ApiError && error.status === 409) {
        status.replaceChildren(h('div', { class: 'problem', role: 'alert', 'data-testid': 'conflict' },
          h('p', {}, t('roster.conflict', { v: error.body.current_version ?? '?' })),
          h('button', { type: 'button', onclick: () => { box.close(); reload(); } }, t('roster.conflict.reload'))));
      } else if (error instanceof ApiError && error.status === 422) {
        status.replaceChildren(h('div', { class: 'problem', role: 'alert' }, h('p', {}, t('roster.invalid')),
          h('ul', {}, (error.body.errors || []).map((e) => h('li', {}, `${e.field ? `${label('c', e.field)}: ` : ''}${e.message}`)))));
      } else {
        status.replaceChildren(problem(error));
      }
    }
  });
}

function uploadForm(tableName, page, reload) {
  const file = h('input', { type: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', required: true });
  const status = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'card stack', 'aria-label': t('roster.upload') },
    h('h3', {}, t('roster.upload'), `：${label('table', tableName)}`),
    field(t('roster.upload.file'), file), h('p', {}, h('button', { type: 'submit' }, t('roster.upload.submit'))), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!file.files.length) return;
    try {
      const result = await api(`/web/rosters/current/${tableName}`, { method: 'PUT', headers: { 'If-Match': page.etag }, body: file.files[0] });
      toast(result._status === 201 ? t('roster.saved', { v: result.version }) : t('roster.unchanged'));
      reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.body.errors) {
        status.replaceChildren(h('div', { class: 'problem', role: 'alert', 'data-testid': 'upload-problems' }, h('p', {}, t('roster.upload.problems'), ` ${error.body.detail}`),
          table([
            { key: 'row', title: t('roster.upload.row'), num: true },
            { key: 'field', title: t('roster.upload.field'), render: (e) => (e.field ? label('c', e.field) : '') },
            { key: 'message', title: t('roster.upload.problem') },
            { key: 'cells', title: t('roster.upload.cells'), render: (e) => (e.cells
              ? `${Object.values(e.cells).slice(0, 3).join(', ')}${e.field && e.field in e.cells ? `；${label('c', e.field)} = “${e.cells[e.field]}”` : ''}`
              : (e.file || '')) },
          ], error.body.errors)));
        status.scrollIntoView({ block: 'start' });
      } else if (error instanceof ApiError && error.status === 409) {
        status.replaceChildren(h('div', { class: 'problem', role: 'alert' }, t('roster.conflict', { v: error.body.current_version ?? '?' }),
          ' ', h('button', { type: 'button', onclick: reload }, t('roster.conflict.reload'))));
      } else {
        status.replaceChildren(problem(error));
      }
    }
  });
  return form;
}

async function history(container) {
  const versions = await api('/rosters?limit=50');
  container.replaceChildren(h('h3', {}, t('roster.history')), table([
    { key: 'version', title: t('roster_version'), num: true },
    { key: 'created_at', title: t('created'), render: (v) => when(v.created_at) },
    { key: 'created_by', title: t('created_by') },
    { key: 'source', title: t('roster.history.source') },
    { key: 'changed_tables', title: t('roster.history.tables'), render: (v) => v.changed_tables.map((n) => label('table', n)).join('、') },
    { key: 'message', title: t('roster.history.message') },
    { key: 'show', title: t('roster.history.changes'), render: (v) => h('button', { type: 'button', class: 'link',
      'aria-label': `${t('roster.history.show')} ${v.version}`, onclick: () => showVersion(v.version) }, t('roster.history.show')) },
  ], versions));
}

async function showVersion(version) {
  const body = h('div', {}, t('loading'));
  dialog(`${t('roster_version')} ${version}`, body);
  try {
    const detail = await api(`/rosters/${version}`);
    body.replaceChildren(
      h('p', {}, `${detail.created_by} · ${when(detail.created_at)} · ${detail.message}`),
      h('ul', {}, Object.entries(detail.diff).map(([name, d]) => h('li', {}, `${label('table', name)}：`,
        [t('roster.diff.added', { n: d.added }), t('roster.diff.removed', { n: d.removed }), t('roster.diff.updated', { n: d.updated })].join('，'),
        d.updated_ids?.length ? ` (${d.updated_ids.slice(0, 20).join(', ')})` : ''))),
      detail.changes.length ? h('pre', {}, detail.changes.slice(0, 50).map((c) => `${c.op} ${c.table} ${c.id} ${JSON.stringify(c.fields)}`).join('\n')) : null);
  } catch (error) {
    body.replaceChildren(problem(error));
  }
}

export async function render(main, { params, isCurrent }) {
  const state = { table: TABLES.includes(params.table) ? params.table : 'areas', q: params.q || '', sort: '', offset: 0, limit: 50, filters: {} };
  for (const column of Object.keys(FILTERS[state.table])) if (params[column]) state.filters[column] = params[column];
  const results = h('div', { 'aria-live': 'polite' });
  const historyBox = h('section', { class: 'card' });
  const uploadBox = h('div', {});
  const search = h('input', { type: 'search', value: state.q });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { state.q = search.value; state.offset = 0; load(); }, 250); });
  const versionLine = h('span', { class: 'muted', 'data-testid': 'roster-version' });

  const next = newestOnly();
  async function load() {
    const fresh = next();
    setParams('roster', { table: state.table, q: state.q, ...state.filters });
    try {
      const page = await api(`/web/rosters/current/${state.table}${query({ q: state.q, sort: state.sort, offset: state.offset, limit: state.limit, ...state.filters })}`);
      if (!isCurrent() || !fresh()) return;
      versionLine.textContent = t('roster.version', { v: page.version });
      const columns = SHOWN[state.table].map((column) => ({ key: column, title: label('c', column), num: NUMERIC.has(column), sort: column,
        render: (r) => (NUMERIC.has(column) && typeof r[column] === 'number' ? fmt(r[column], column === 'lat' || column === 'lon' ? 2 : 0) : cell(r[column], column)) }));
      if (ctx.can('coordinator')) {
        columns.push({ key: 'edit', title: t('roster.edit'), render: (r) => (ctx.canEditRow(r) ? h('button', { type: 'button', class: 'secondary',
          'aria-label': `${t('roster.edit')} ${r[page.id_column]} ${r.name ?? ''}`, 'data-id': r[page.id_column],
          onclick: () => editDialog(state.table, page, r, load) }, t('roster.edit')) : '') });
        uploadBox.replaceChildren(uploadForm(state.table, page, load));
      }
      const move = (offset) => { state.offset = offset; load(); };
      results.replaceChildren(pager(page.total, page.offset, page.limit, move),
        table(columns, page.items, { sort: state.sort, onSort: (sort) => { state.sort = sort; state.offset = 0; load(); } }));
      history(historyBox);
    } catch (error) {
      if (fresh()) results.replaceChildren(problem(error));
    }
  }

  const filterControls = Object.entries(FILTERS[state.table]).map(([column, values]) => field(label('c', column),
    select([['', t('filter.all')], ...values.map((v) => [v, label('v', v)])], state.filters[column] || '', (v) => {
      if (v) state.filters[column] = v; else delete state.filters[column];
      state.offset = 0;
      load();
    })));
  fill(main, 
    h('h2', {}, t('roster.title'), ' ', versionLine),
    ctx.can('coordinator') ? (ctx.scope ? h('p', { class: 'notice' }, t('access.scoped', { city: ctx.scope })) : null)
      : h('p', { class: 'notice' }, t('access.viewer')),
    h('div', { class: 'toolbar' },
      field(t('roster.table'), select(TABLES.map((name) => [name, label('table', name)]), state.table, (name) => { location.hash = `#/roster?table=${name}`; })),
      field(t('roster.q'), search), filterControls,
      h('a', { class: 'button secondary', href: `/rosters/current/${state.table}.csv`, download: '' }, t('roster.download'))),
    results, uploadBox, historyBox);
  await load();
}
