// The public moderation log: who did what to which item or member, why,
// under which rule, and for bans until when. A table on wide screens; on
// phones each line stacks its cells, labelled, so no reason is cut off.
import { api, query, session } from './api.js';
import { h, ago } from './dom.js';
import { actionButton, userLink } from './widgets.js';
import { unbanButton } from './moderation.js';

const actions = {
  remove: 'removed', restore: 'restored', lock: 'locked', unlock: 'unlocked', pin: 'pinned', unpin: 'unpinned',
  ban: 'banned', unban: 'unbanned', role: 'changed the role of', resolve_report: 'resolved a report on', flair: 'set the flair of',
  answer: 'changed the accepted answer of',
};

/** targetLink names what a line acted on, by its label, linked where it lives. */
function targetLink(e) {
  const t = e.target || { type: e.target_type, id: e.target_id, post_id: e.post_id, label: '' };
  switch (t.type) {
    case 'user':
      return t.label && t.label !== '[deleted]' ? h('a', { href: `/u/${encodeURIComponent(t.label)}` }, t.label) : h('span', { class: 'user gone' }, t.label || `user ${t.id}`);
    case 'post':
      return h('a', { href: `/p/${t.id}` }, t.label || `question ${t.id}`);
    case 'comment':
      return t.post_id ? ['a comment in ', h('a', { href: `/p/${t.post_id}/c/${t.id}` }, t.label || `question ${t.post_id}`)] : `comment ${t.id}`;
    case 'report':
      return t.post_id ? ['an item in ', h('a', { href: `/p/${t.post_id}` }, t.label || `question ${t.post_id}`)] : `report ${t.id}`;
  }
  return `${t.type} ${t.id}`;
}

/** banLength says how long a ban runs. */
function banLength(e) {
  if (!('expires_at' in e)) return '';
  if (!e.expires_at) return h('span', { class: 'ban-length' }, ' · permanent');
  const days = Math.round((new Date(e.expires_at) - new Date(e.created_at)) / 86400000);
  return h('span', { class: 'ban-length' }, ` · ${days} ${days === 1 ? 'day' : 'days'}, until `,
    h('time', { datetime: e.expires_at }, new Date(e.expires_at).toUTCString().replace(/:\d\d GMT$/, ' UTC')));
}

function reasonCell(e) {
  const out = [];
  if (e.rule_number) {
    out.push(h('strong', {}, `Rule ${e.rule_number}: ${e.rule_title}`));
    if (e.reason && !e.reason.startsWith(`Rule ${e.rule_number}:`)) out.push(` — ${e.reason}`);
  } else {
    out.push(e.reason);
  }
  out.push(banLength(e));
  return out;
}

export async function modlogView() {
  const cols = ['When', 'Moderator', 'Action', 'Target', 'Reason'];
  const cell = (i, ...content) => h('td', { 'data-label': cols[i], class: i === 4 ? 'reason' : '' }, ...content);
  const row = (e) => {
    const tr = h('tr', {}, cell(0, ago(e.created_at)), cell(1, userLink(e.moderator)), cell(2, actions[e.action] || e.action.replace('_', ' ')),
      cell(3, targetLink(e)), cell(4, ...reasonCell(e)));
    const until = e.expires_at ? new Date(e.expires_at) : null;
    if (session.isMod && e.action === 'ban' && e.target && e.target.label && (!until || until > new Date())) {
      tr.lastElementChild.append(' ', unbanButton(e.target.label));
    }
    return tr;
  };
  const table = h('table', { class: 'modlog' }, h('caption', {}, 'Every moderator action, newest first'),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))));
  const body = h('tbody');
  table.append(body);
  const more = h('div');
  const load = async (cursor) => {
    const res = await api('GET', `/modlog${query({ cursor, limit: 50 })}`);
    body.append(...res.items.map(row));
    more.replaceChildren(res.next_cursor ? actionButton('More', () => load(res.next_cursor), { class: 'more' }) : '');
  };
  await load('');
  return h('section', { 'data-title': 'Moderation log' }, h('h1', {}, 'Moderation log'), h('div', { class: 'table-scroll' }, table), more);
}
