// What several pages share: the list of finished plans and a plan chooser.
import { api, query } from '../api.js';
import { t } from '../i18n.js';
import { field, h, select } from '../ui.js';

export async function donePlans() {
  return api(`/plans${query({ status: 'done', limit: 200 })}`);
}

export function planChooser(plans, current, onChange) {
  return field(t('plan.choose'), select(plans.map((p) => [p.id, t('plan.option', { id: p.id, round: p.round, status: t(`status.${p.status}`) })]),
    current, onChange));
}

// The plan a page shows: ?plan= if given, else the newest finished one.
export function pickPlan(plans, params) {
  const wanted = Number(params.plan);
  return plans.find((p) => p.id === wanted) || plans[0] || null;
}

export function noPlan() {
  return h('div', { class: 'notice' }, t('plan.none'), ' ', h('a', { href: '#/plans' }, t('nav.plans')));
}

export function setParams(page, params) {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined && v !== null));
  const hash = `#/${page}${search.toString() ? `?${search}` : ''}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

// A page's loads can overlap (a filter changed twice in quick succession) and their answers can
// arrive out of order: only the newest request's answer may be shown. `const fresh = next();`
// before the request, then `if (!fresh()) return;` after it.
export function newestOnly() {
  let newest = 0;
  return () => {
    const mine = ++newest;
    return () => mine === newest;
  };
}
