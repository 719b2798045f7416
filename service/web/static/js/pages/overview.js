// 总览: the current roster, each round's latest plan with its status and key figures.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { fmt, h, status, when, fill } from '../ui.js';
import { ctx } from '../app.js';

function figure(labelText, value, testid) {
  return h('div', { class: 'figure', 'data-testid': testid }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, labelText));
}

function planLine(plan) {
  return h('p', {}, h('a', { href: `#/plans/${plan.id}` }, t('plans.detail', { id: plan.id })), ' ', status(plan.status), ' ',
    h('span', { class: 'muted' }, `${t('created_by')} ${plan.created_by} · ${when(plan.created_at)} · ${t('roster_version')} ${plan.roster_version}`));
}

function figures(f, plan) {
  const kept = f.kept_from_base ? t('fig.kept.value', { kept: fmt(f.kept_from_base.kept), of: fmt(f.kept_from_base.of) }) : t('fig.kept.none');
  const loaded = f.most_loaded ? t('fig.loaded.value', { name: f.most_loaded.supporter_name, n: f.most_loaded.receivers }) : '–';
  return h('div', { class: 'figures' },
    figure(t('fig.floors'), t('fig.floors.value', { met: f.receivers_meeting_floors, total: f.receivers }), 'fig-floors'),
    figure(t('fig.kept'), kept, 'fig-kept'),
    figure(t('fig.loaded'), loaded, 'fig-loaded'),
    figure(t('fig.distance'), t('fig.distance.value', { km: fmt(f.distance_km) }), 'fig-distance'),
    figure(t('fig.checker'), plan.passes_checker ? t('fig.checker.pass')
      : `${t('fig.checker.fail')}：${(f.rules_failed || []).join('、')}`, 'fig-checker'));
}

export async function render(main) {
  const data = await api('/web/overview');
  const roster = data.roster;
  const counts = roster ? ['cities', 'areas', 'receiving_areas', 'supporter_areas', 'universities', 'institutes', 'schools']
    .map((key) => h('span', { class: 'pill' }, `${t(`counts.${key}`)} ${fmt(roster.counts[key])}`)) : [];
  fill(main, 
    h('h2', {}, t('overview.title')),
    ctx.can('coordinator') ? null : h('p', { class: 'notice' }, t('access.viewer')),
    roster ? h('section', { class: 'card', 'aria-labelledby': 'ov-roster' },
      h('h3', { id: 'ov-roster' }, `${t('overview.roster')} · `, h('span', { 'data-testid': 'roster-version' }, t('overview.roster.version', { v: roster.version }))),
      h('p', { class: 'muted' }, t('overview.roster.by', { by: roster.created_by, at: when(roster.created_at) }), ' — ', roster.message),
      h('p', {}, counts),
      h('p', {}, h('a', { href: '#/roster' }, t('nav.roster')))) : null,
    h('div', { class: 'grid' }, data.rounds.map((r) => h('section', { class: 'card', 'aria-labelledby': `ov-${r.round}`, 'data-round': r.round },
      h('h3', { id: `ov-${r.round}` }, t('overview.round', { round: r.round })),
      r.plan ? [h('div', { class: 'muted' }, t('overview.latest')), planLine(r.plan)] : h('p', { class: 'muted' }, t('overview.noplan')),
      r.latest_done && r.latest_done.id !== r.plan?.id ? [h('div', { class: 'muted' }, t('overview.latest_done')), planLine(r.latest_done)] : null,
      r.figures ? figures(r.figures, r.latest_done) : null,
      r.latest_done ? h('p', {}, h('a', { href: `#/plans/${r.latest_done.id}` }, t('plans.report'))) : null))));
}
