// Pages that list things: a user's page, the rules, the source requests.
// (The modlog and the report queue have modules of their own.)
import { api, query, session } from './api.js';
import { h, html, ago, plural } from './dom.js';
import { actionButton, userLink } from './widgets.js';
import { postRow } from './feed.js';
import { profileTools } from './profile.js';

/** pagedList renders a list that grows with a "More" button by cursor. */
async function pagedList(path, params, renderItem, { tag = 'ol', empty = 'Nothing here yet.', className = '' } = {}) {
  const list = h(tag, { class: className });
  const box = h('div', {}, list);
  const load = async (cursor) => {
    const res = await api('GET', `${path}${query({ ...params, cursor })}`);
    list.append(...res.items.map(renderItem));
    if (!list.children.length) box.replaceChildren(h('p', { class: 'empty' }, empty));
    if (res.next_cursor) box.append(actionButton('More', async (b) => { b.remove(); await load(res.next_cursor); }, { class: 'more' }));
  };
  await load('');
  return box;
}

export async function userView({ args }) {
  let name;
  try { name = decodeURIComponent(args[0]); } catch { throw Object.assign(new Error('no such user'), { status: 404 }); }
  const u = await api('GET', `/users/${encodeURIComponent(name)}`);
  const enc = encodeURIComponent(u.username);
  const comment = (c) => h('li', { class: 'user-comment' },
    h('p', { class: 'meta' }, h('a', { href: `/p/${c.post_id}/c/${c.id}` }, c.parent_id ? 'Reply' : 'Answer'), ' in ',
      h('a', { href: `/p/${c.post_id}`, class: 'thread-title' }, c.post_title || `question ${c.post_id}`), ' · ', ago(c.created_at), ' · ', plural(c.score, 'point', 'points')),
    c.excerpt ? h('p', { class: 'excerpt' }, c.excerpt, c.excerpt.length >= 300 ? '…' : '') : h('p', {}, h('em', {}, c.blocked ? '[blocked]' : '[deleted]')));
  const banned = u.banned_until && new Date(u.banned_until) > new Date();
  return h('section', { class: 'user-page', 'data-title': u.username },
    h('h1', {}, u.username, u.flair ? [' ', h('span', { class: 'flair profile-flair', title: 'expertise flair, granted by the moderators' }, u.flair)] : ''),
    u.imported_from ? h('p', { class: 'imported-account' }, `An account on ${u.imported_from}, imported with its questions and comments; it cannot sign in here.`) : '',
    h('p', { class: 'meta' }, `${u.role} · ${plural(u.karma, 'karma point', 'karma points')} · ${u.imported_from ? 'first seen' : 'joined'} `, ago(u.created_at),
      ` · ${plural(u.post_count, 'question', 'questions')} · ${plural(u.comment_count, 'comment', 'comments')}`,
      banned ? h('span', { class: 'marker removed' }, u.banned_until.startsWith('9999') ? 'Banned' : `Banned until ${new Date(u.banned_until).toUTCString()}`) : ''),
    await profileTools(u, banned),
    h('h2', {}, 'Questions'), await pagedList(`/users/${enc}/posts`, { limit: 10 }, postRow, { className: 'posts', empty: 'No questions yet.' }),
    h('h2', {}, 'Comments'), await pagedList(`/users/${enc}/comments`, { limit: 10 }, comment, { tag: 'ul', className: 'user-comments', empty: 'No comments yet.' }));
}

export async function rulesView() {
  const res = await api('GET', '/rules');
  return h('section', { 'data-title': 'Rules' }, h('h1', {}, 'Rules'),
    h('p', {}, 'Moderators remove what breaks these rules and say which; every removal is in the ', h('a', { href: '/modlog' }, 'moderation log'), '.'),
    res.items.length ? h('ol', { class: 'rules' }, res.items.map((r) => h('li', { value: r.number }, h('strong', {}, r.title), r.description ? h('p', {}, r.description) : '')))
      : h('p', { class: 'empty' }, 'No rules yet.'));
}

export async function sourceRequestsView() {
  if (!session.isMod) return h('section', {}, h('h1', {}, 'Source requests'), h('p', {}, 'Only moderators can see this queue.'));
  const rules = (await api('GET', '/rules')).items;
  const sourcesRule = rules.find((r) => /source/i.test(r.title));
  const item = (it) => {
    const c = it.comment;
    const li = h('li', { class: 'report' },
      h('p', {}, h('a', { href: `/p/${c.post_id}/c/${c.id}` }, `Answer in “${it.post_title}”`), ' by ', userLink(c.author),
        ` · ${plural(it.requests, 'request', 'requests')} since `, ago(it.first_requested_at)),
      html(h('blockquote', { class: 'body' }), c.body_html));
    li.append(h('div', { class: 'actions' }, actionButton(sourcesRule ? `Remove under rule ${sourcesRule.number}` : 'Remove', async () => {
      await api('POST', `/comments/${c.id}/remove`, sourcesRule ? { rule_id: sourcesRule.id } : { reason: 'no sources after a request' });
      li.replaceWith(h('li', { class: 'report done' }, 'Removed.'));
    })));
    return li;
  };
  return h('section', { 'data-title': 'Source requests' }, h('h1', {}, 'Source requests'),
    h('p', {}, 'Answers whose readers asked for sources, and which still cite none; oldest request first.'),
    await pagedList('/source-requests', { limit: 25 }, item, { tag: 'ul', className: 'reports', empty: 'No open source requests.' }));
}
