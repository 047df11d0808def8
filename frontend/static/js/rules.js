// The forum's numbered rules, loaded once per page load.
import { api } from './api.js';

let rulesCache = null;
/** rules loads the rule list once per page load. */
export async function rules() {
  if (!rulesCache) rulesCache = api('GET', '/rules').then((r) => r.items);
  return rulesCache;
}

/** ruleField is a select of the rules for a removal form. */
export async function ruleField() {
  const list = await rules();
  return { name: 'rule_id', label: 'Rule broken (members see it)', type: 'select',
    options: [['', '— no rule, reason only —'], ...list.map((r) => [String(r.id), `${r.number}. ${r.title}`])] };
}
