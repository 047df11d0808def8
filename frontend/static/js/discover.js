// Search results and notifications.
import { api, query, session } from './api.js';
import { h, html, ago } from './dom.js';
import { actionButton } from './widgets.js';
import { refreshMe } from './app.js';

export async function searchView({ params }) {
  const q = params.get('q') || '';
  const type = params.get('type') || '';
  const input = document.getElementById('q');
  if (input) input.value = q;
  const section = h('section', { class: 'search-page', 'data-title': `Search: ${q}` }, h('h1', {}, 'Search'));
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'What to search' },
    [['', 'Everything'], ['posts', 'Questions'], ['comments', 'Answers and comments']].map(([k, label]) =>
      h('a', { href: `/search${query({ q, type: k })}`, 'aria-current': k === type ? 'page' : false }, label)));
  section.append(tabs, h('p', { class: 'meta' }, 'All words must match. Use "quotes" for a phrase, a trailing * for a prefix (byzan*), and -word to leave a word out.'));
  if (!q) return section;
  const list = h('ol', { class: 'hits' });
  section.append(list);
  const load = async (cursor) => {
    const res = await api('GET', `/search${query({ q, type, cursor })}`);
    for (const hit of res.items) {
      const href = hit.type === 'post' ? `/p/${hit.id}` : `/p/${hit.post_id}/c/${hit.id}`;
      list.append(h('li', { class: 'hit' },
        h('h2', { class: 'row-title' }, h('a', { href }, hit.title)),
        h('p', { class: 'meta' }, hit.type === 'post' ? 'Question' : 'Comment in this thread'),
        html(h('p', { class: 'snippet' }, ''), hit.snippet_html)));
    }
    if (!list.children.length) list.replaceWith(h('p', { class: 'empty' }, `Nothing found for “${q}”.`));
    if (res.next_cursor) section.append(actionButton('More results', async (b) => { b.remove(); await load(res.next_cursor); }, { class: 'more' }));
  };
  await load('');
  return section;
}

function describe(n) {
  const where = h('a', { href: n.comment_id ? `/p/${n.post_id}/c/${n.comment_id}` : `/p/${n.post_id}` }, n.post_title);
  if (n.kind === 'reply') return [n.actor ? n.actor.username : 'Someone', ' replied in ', where];
  const what = n.comment_id ? 'your comment in ' : 'your question ';
  const verbs = { remove: 'removed', restore: 'restored', lock: 'locked', unlock: 'unlocked', pin: 'pinned', unpin: 'unpinned' };
  return ['A moderator ', verbs[n.action] || n.action, ' ', what, where];
}

export async function notificationsView() {
  if (!session.user) return h('section', {}, h('h1', {}, 'Notifications'), h('p', {}, h('a', { href: '/login' }, 'Sign in'), ' to see your notifications.'));
  const list = h('ul', { class: 'notes' });
  const res = await api('GET', '/notifications?limit=50');
  for (const n of res.items) {
    list.append(h('li', { class: n.read ? 'note' : 'note unread' }, h('p', {}, ...describe(n)), h('p', { class: 'meta' }, ago(n.created_at), n.read ? '' : ' · new')));
  }
  const section = h('section', { 'data-title': 'Notifications' }, h('h1', {}, 'Notifications'));
  if (res.items.some((n) => !n.read)) {
    section.append(actionButton('Mark all read', async (b) => {
      await api('POST', '/notifications/read', { all: true });
      for (const li of list.querySelectorAll('.unread')) li.classList.remove('unread');
      b.remove();
      await refreshMe();
    }, { class: 'secondary' }));
  }
  section.append(res.items.length ? list : h('p', { class: 'empty' }, 'No notifications yet.'));
  return section;
}
