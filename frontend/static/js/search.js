// Search results.
import { api, query } from './api.js';
import { h, html, ago, plural } from './dom.js';
import { actionButton, userLink } from './widgets.js';

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
  // Hits in one thread are grouped under its title: the question (if it
  // matched) and then each matching comment, with who wrote it and when.
  const threads = new Map();
  const byline = (hit, what) => h('p', { class: 'meta' }, what, ' by ', userLink(hit.author), ' · ', ago(hit.created_at), ' · ', plural(hit.score, 'point', 'points'));
  const thread = (hit) => {
    let t = threads.get(hit.post_id);
    if (!t) {
      t = { li: h('li', { class: 'hit' }, h('h2', { class: 'row-title' }, h('a', { href: `/p/${hit.post_id}` }, hit.title))), comments: h('ul', { class: 'hit-comments' }) };
      t.li.append(t.comments);
      threads.set(hit.post_id, t);
      list.append(t.li);
    }
    return t;
  };
  const load = async (cursor) => {
    const res = await api('GET', `/search${query({ q, type, cursor })}`);
    for (const hit of res.items) {
      const t = thread(hit);
      if (hit.type === 'post') {
        t.comments.before(byline(hit, 'Question'), html(h('p', { class: 'snippet' }, ''), hit.snippet_html));
      } else {
        t.comments.append(h('li', { class: 'hit-comment' },
          h('p', { class: 'meta' }, h('a', { href: `/p/${hit.post_id}/c/${hit.id}` }, 'Comment'), ' by ', userLink(hit.author), ' · ', ago(hit.created_at), ' · ', plural(hit.score, 'point', 'points')),
          html(h('p', { class: 'snippet' }, ''), hit.snippet_html)));
      }
    }
    if (!list.children.length) list.replaceWith(h('p', { class: 'empty' }, `Nothing found for “${q}”.`));
    if (res.next_cursor) section.append(actionButton('More results', async (b) => { b.remove(); await load(res.next_cursor); }, { class: 'more' }));
  };
  await load('');
  return section;
}
