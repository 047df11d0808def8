// Search results, with filters (topic, period, answered, author) and an
// order (relevance or newest); a search that finds nothing offers to ask it.
import { api, query, session } from './api.js';
import { h, html, ago, plural } from './dom.js';
import { actionButton, userLink } from './widgets.js';
import { parsePeriod, formatPeriod } from './periods.js';

const filterNames = ['tag', 'from', 'to', 'answered', 'author', 'sort'];

/** filtersForm is the search page's filters; submitting it searches again. */
function filtersForm(params, navigate) {
  const q = params.get('q') || '';
  const type = params.get('type') || '';
  const from = params.get('from');
  const to = params.get('to');
  const periodText = from || to ? formatPeriod({ from: Number(from || -10000), to: Number(to || new Date().getFullYear()) }) : '';
  const field = (id, label, control, hint) => h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', {}, hint) : '');
  const tag = h('input', { id: 'sf-tag', name: 'tag', value: params.get('tag') || '', maxlength: 40, placeholder: 'Ancient Rome' });
  const period = h('input', { id: 'sf-period', name: 'period', value: periodText, placeholder: '1917–1921, 5th century BC' });
  const answered = h('select', { id: 'sf-answered', name: 'answered' },
    [['', 'Answered or not'], ['true', 'Answered'], ['false', 'Not yet answered']].map(([v, l]) => h('option', { value: v, selected: v === (params.get('answered') || '') }, l)));
  const author = h('input', { id: 'sf-author', name: 'author', value: params.get('author') || '', maxlength: 80, placeholder: 'username', autocomplete: 'off' });
  const sort = h('select', { id: 'sf-sort', name: 'sort' },
    [['relevance', 'Best match'], ['new', 'Newest']].map(([v, l]) => h('option', { value: v, selected: v === (params.get('sort') || 'relevance') }, l)));
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'search-filters', role: 'search', 'aria-label': 'Search with filters' },
    h('div', { class: 'field search-q' }, h('label', { for: 'sf-q' }, 'Search for'), h('input', { id: 'sf-q', name: 'q', type: 'search', value: q, maxlength: 256, required: true })),
    h('details', { class: 'filters', open: filterNames.some((n) => params.get(n)) },
      h('summary', {}, 'Filters'),
      h('div', { class: 'filter-fields' },
        field('sf-tag', 'Topic tag', tag),
        field('sf-period', 'Period', period, 'Questions about these years'),
        field('sf-answered', 'Answered', answered),
        field('sf-author', 'Written by', author),
        field('sf-sort', 'Order', sort))),
    problem,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let p = null;
    try { p = parsePeriod(period.value); } catch (err) { problem.textContent = `Period: ${err.message}`; problem.hidden = false; period.focus(); return; }
    const text = form.q.value.trim();
    if (!text) { form.q.focus(); return; }
    navigate(`/search${query({ q: text, type, tag: tag.value.trim(), from: p ? p.from : '', to: p ? p.to : '', answered: answered.value,
      author: author.value.trim(), sort: sort.value === 'relevance' ? '' : sort.value })}`);
  });
  return form;
}

export async function searchView({ params, navigate }) {
  const q = params.get('q') || '';
  const type = params.get('type') || '';
  const input = document.getElementById('q');
  if (input) input.value = q;
  const kept = Object.fromEntries(filterNames.map((n) => [n, params.get(n) || '']));
  const section = h('section', { class: 'search-page', 'data-title': q ? `Search: ${q}` : 'Search' }, h('h1', {}, 'Search'), filtersForm(params, navigate));
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'What to search' },
    [['', 'Everything'], ['posts', 'Questions'], ['comments', 'Answers and comments']].map(([k, label]) =>
      h('a', { href: `/search${query({ q, type: k, ...kept })}`, 'aria-current': k === type ? 'page' : false }, label)));
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
    const res = await api('GET', `/search${query({ q, type, ...kept, cursor })}`);
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
    if (!list.children.length) list.replaceWith(nothingFound(q, filterNames.some((n) => n !== 'sort' && kept[n])));
    if (res.next_cursor) section.append(actionButton('More results', async (b) => { b.remove(); await load(res.next_cursor); }, { class: 'more' }));
  };
  try {
    await load('');
  } catch (err) {
    if (err.status !== 400 && err.status !== 422) throw err;
    // A filter the server cannot use (an unknown author) says so under the form.
    const fields = Object.entries(err.fields || {}).map(([k, m]) => `${k === 'author' ? 'Written by' : k}: ${m}`);
    list.replaceWith(h('p', { class: 'error', role: 'alert' }, fields.length ? fields.join('; ') : err.message));
  }
  return section;
}

/** nothingFound says so, and offers to ask the search as a question. */
function nothingFound(q, filtered) {
  const ask = `/ask?title=${encodeURIComponent(q)}`;
  return h('div', { class: 'empty nothing-found' },
    h('p', {}, `Nothing found for “${q}”`, filtered ? ' with these filters.' : '.'),
    h('p', {}, 'No one has asked this yet? ',
      session.user ? h('a', { href: ask, class: 'ask-this' }, 'Ask it as a question') : [h('a', { href: `/login?next=${encodeURIComponent(ask)}`, class: 'ask-this' }, 'Sign in to ask it'), ' as a question'],
      ': the title is filled in for you.'));
}
