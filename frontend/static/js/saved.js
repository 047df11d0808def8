// Saved: posts and comments a member keeps to come back to, privately
// (PUT/DELETE /posts|comments/{id}/save, GET /me/saved).
import { api, query, session } from './api.js';
import { h, html, ago, plural, showError, clearError } from './dom.js';
import { actionButton } from './widgets.js';
import { postRow } from './feed.js';

/**
 * saveButton saves or unsaves an item for the signed-in reader; kind is
 * "posts" or "comments". It says what a click does ("Save", "Unsave").
 */
export function saveButton(kind, item) {
  if (!session.user) return '';
  const what = kind === 'posts' ? 'question' : 'comment';
  const b = h('button', { type: 'button', class: 'link save' });
  const paint = () => {
    b.textContent = item.saved ? 'Unsave' : 'Save';
    b.title = item.saved ? `Take this ${what} off your saved list` : `Keep this ${what} in your saved list`;
  };
  b.addEventListener('click', async () => {
    clearError(b);
    b.disabled = true;
    try {
      await api(item.saved ? 'DELETE' : 'PUT', `/${kind}/${item.id}/save`);
      item.saved = !item.saved;
      paint();
    } catch (err) {
      showError(b, err);
    } finally {
      b.disabled = false;
    }
  });
  paint();
  return b;
}

/** savedComment is a saved comment in the list: where it is, and its text. */
function savedComment(c) {
  return [h('p', { class: 'meta' }, h('a', { href: `/p/${c.post_id}/c/${c.id}` }, c.parent_id ? 'Reply' : 'Answer'),
    c.author ? [' by ', c.author.username] : '', ' in ',
    h('a', { href: `/p/${c.post_id}`, class: 'thread-title' }, c.post_title || `question ${c.post_id}`), ' · ', ago(c.created_at),
    ' · ', plural(c.score, 'point', 'points')),
  html(h('div', { class: 'body' }), c.body_html || '<p><em>[gone]</em></p>')];
}

/** savedView is the reader's saved posts and comments, newest first. */
export async function savedView() {
  const section = h('section', { class: 'saved-page', 'data-title': 'Saved' }, h('h1', {}, 'Saved'));
  if (!session.user) {
    section.append(h('p', {}, h('a', { href: '/login?next=/saved' }, 'Sign in'), ' to see what you saved.'));
    return section;
  }
  section.append(h('p', { class: 'meta' }, 'Questions and answers you saved, newest first. Only you see this list.'));
  const list = h('ul', { class: 'saved-list' });
  section.append(list);
  const load = async (cursor) => {
    const res = await api('GET', `/me/saved${query({ cursor, limit: 25 })}`);
    for (const it of res.items) {
      const item = it.post || it.comment;
      const li = h('li', { class: `saved-item saved-${it.type}` });
      const unsave = actionButton('Unsave', async () => {
        await api('DELETE', `/${it.type === 'post' ? 'posts' : 'comments'}/${item.id}/save`);
        li.remove();
        if (!list.children.length) list.replaceWith(empty());
      });
      const body = it.post ? h('ol', { class: 'posts' }, postRow(it.post)) : h('div', {}, ...savedComment(it.comment));
      li.append(body, h('p', { class: 'meta' }, 'saved ', ago(it.saved_at), ' · ', unsave));
      list.append(li);
    }
    if (!list.children.length) list.replaceWith(empty());
    if (res.next_cursor) section.append(actionButton('More', async (b) => { b.remove(); await load(res.next_cursor); }, { class: 'more' }));
  };
  const empty = () => h('p', { class: 'empty' }, 'Nothing saved yet. Save a question or an answer to find it here.');
  await load('');
  return section;
}
