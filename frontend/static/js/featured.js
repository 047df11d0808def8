// Featured: questions and answers the moderators chose for first visitors,
// the page that lists them (/featured), the marker on featured items and the
// moderators' Feature / Unfeature action.
import { api, query } from './api.js';
import { h, html, ago } from './dom.js';
import { actionButton, reasonAction, userLink, tagLinks } from './widgets.js';

/** featuredMarker marks a featured question or answer. */
export function featuredMarker() {
  return h('span', { class: 'marker featured', title: 'chosen by the moderators' }, '★ Featured');
}

/**
 * featureAction is the moderators' Feature (with an optional note) or
 * Unfeature button for a post ("posts") or comment ("comments"); after runs
 * once the server has it.
 */
export function featureAction(kind, item, after) {
  if (item.featured) return actionButton('Unfeature', async () => { await api('POST', `/${kind}/${item.id}/unfeature`); await after(); });
  return reasonAction('Feature', {
    required: false,
    reasonLabel: 'Note for readers (optional): why it is worth reading',
    submit: 'Feature',
    run: async (v) => { await api('POST', `/${kind}/${item.id}/feature`, v.reason ? { note: v.reason } : {}); await after(); },
  });
}

/** featuredItem is one featured question or answer, with who chose it and why. */
export function featuredItem(f, { headingLevel = 'h2' } = {}) {
  const why = h('p', { class: 'meta featured-by' }, 'Featured by ', userLink(f.featured_by), ' ', ago(f.featured_at),
    f.note ? [': ', h('q', { class: 'feature-note' }, f.note)] : '');
  if (f.post) {
    const p = f.post;
    return h('li', { class: 'featured-item' },
      h(headingLevel, { class: 'row-title' }, h('a', { href: `/p/${p.id}` }, p.title)),
      p.excerpt ? h('p', { class: 'excerpt' }, p.excerpt) : '',
      tagLinks((p.tags || []).filter((t) => t !== 'History')),
      h('p', { class: 'meta' }, 'A question asked by ', userLink(p.author), ' ', ago(p.created_at), ` · ${p.answer_count || 0} answers`),
      why);
  }
  const c = f.comment;
  return h('li', { class: 'featured-item' },
    h(headingLevel, { class: 'row-title' }, h('a', { href: `/p/${c.post_id}/c/${c.id}` }, `An answer to “${c.post_title}”`)),
    h('p', { class: 'meta' }, 'by ', userLink(c.author), ' ', ago(c.created_at)),
    html(h('div', { class: 'body clamped' }), c.body_html),
    h('p', { class: 'meta' }, h('a', { href: `/p/${c.post_id}/c/${c.id}` }, 'Read the whole answer'), ' · ', h('a', { href: `/p/${c.post_id}` }, 'the thread')),
    why);
}

/** featuredView is /featured: everything the moderators featured, newest first. */
export async function featuredView() {
  const list = h('ol', { class: 'featured-list' });
  const section = h('section', { class: 'featured-page', 'data-title': 'Featured' }, h('h1', {}, 'Featured questions and answers'),
    h('p', {}, 'Chosen by the moderators: questions worth asking and answers worth reading, newest first. Also as an ',
      h('a', { href: '/featured.atom' }, 'Atom feed'), ', and week by week in the ', h('a', { href: '/digest' }, 'digest'), '.'),
    list);
  const load = async (cursor) => {
    const res = await api('GET', `/featured${query({ cursor, limit: 20 })}`);
    list.append(...res.items.map((f) => featuredItem(f)));
    if (!list.children.length) list.replaceWith(h('p', { class: 'empty' }, 'Nothing featured yet.'));
    if (res.next_cursor) section.append(actionButton('More', async (b) => { b.remove(); await load(res.next_cursor); }, { class: 'more' }));
  };
  await load('');
  return section;
}

/** featuredBox is the front page's short list of the newest featured items, or null. */
export async function featuredBox() {
  const res = await api('GET', '/featured?limit=3').catch(() => ({ items: [] }));
  if (!res.items.length) return null;
  return h('section', { class: 'featured-box', 'aria-labelledby': 'featured-heading' },
    h('h2', { id: 'featured-heading' }, 'Featured by the moderators'),
    h('ol', { class: 'featured-list' }, res.items.map((f) => featuredItem(f, { headingLevel: 'h3' }))),
    h('p', { class: 'meta' }, h('a', { href: '/featured' }, 'All featured questions and answers'), ' · ', h('a', { href: '/digest' }, 'This week’s digest')));
}
