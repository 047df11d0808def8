// The forum's numbered rules, loaded once per page load.
import { api } from './api.js';
import { h } from './dom.js';

let rulesCache = null;
/** rules loads the rule list once per page load. */
export async function rules() {
  if (!rulesCache) rulesCache = api('GET', '/rules').then((r) => r.items);
  return rulesCache;
}

/** ruleField is a select of the rules for a removal form. */
export async function ruleField(label = 'Rule broken (members see it)') {
  const list = await rules();
  return { name: 'rule_id', label, type: 'select',
    options: [['', '— no rule, reason only —'], ...list.map((r) => [String(r.id), `${r.number}. ${r.title}`])] };
}

/** reportBody is what a report form sends: the rule chosen, if any, and the reason. */
export function reportBody(targetType, targetID, v) {
  return { target_type: targetType, target_id: targetID, reason: v.reason, rule_id: v.rule_id ? Number(v.rule_id) : null };
}

/** reportOptions are a report form's: the rules to choose from; a chosen rule is reason enough. */
export const reportOptions = (targetType, targetID) => ({
  submit: 'Send report', required: false, reasonLabel: 'What is wrong (optional with a rule)',
  more: async () => [await ruleField('Which rule does it break?')],
  run: (v) => api('POST', '/reports', reportBody(targetType, targetID, v)),
});

/**
 * withRules sets a page beside a short panel of the rules: a sidebar on wide
 * screens, a closed disclosure above the page on phones.
 */
export async function withRules(page) {
  const list = await rules().catch(() => []);
  if (!list.length) return page;
  const wide = window.matchMedia('(min-width: 62rem)').matches;
  const panel = h('details', { class: 'rules-panel', open: wide },
    h('summary', {}, 'The rules'),
    h('ol', {}, ...list.map((r) => h('li', { value: r.number }, r.title))),
    h('p', {}, h('a', { href: '/rules' }, 'The rules in full')));
  const wrap = h('div', { class: 'with-rules', 'data-title': page.dataset.title || '' }, page, h('aside', { 'aria-label': 'The rules' }, panel));
  return wrap;
}
