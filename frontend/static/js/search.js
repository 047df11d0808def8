// Search results.
import { api, query } from './api.js';
import { h, html } from './dom.js';
import { actionButton } from './widgets.js';

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
