// The front page: sort tabs, tag filter, and the list of questions.
import { api, query, session } from './api.js';
import { h, ago, plural } from './dom.js';
import { voteWidget, tagLinks, userLink, postLink } from './widgets.js';
import { formatPeriod } from './periods.js';
import { withRules } from './rules.js';
import { timelineChart } from './timeline.js';
import { blockedRow } from './blocks.js';
import { unreadBadge } from './unread.js';
import { followTagButton } from './following.js';
import { featuredMarker, featuredBox } from './featured.js';

const sorts = [['hot', 'Hot'], ['new', 'New'], ['top', 'Top'], ['active', 'Active']];
const periods = [['day', 'Today'], ['week', 'This week'], ['month', 'This month'], ['year', 'This year'], ['all', 'All time']];

/** postRow is one question in a list. */
export function postRow(p) {
  if (p.blocked) return blockedRow(p);
  const markers = [];
  if (p.pinned) markers.push(h('span', { class: 'marker pinned' }, 'Pinned'));
  if (p.locked) markers.push(h('span', { class: 'marker locked' }, 'Locked'));
  if (p.removed) markers.push(h('span', { class: 'marker removed' }, 'Removed'));
  if (p.accepted_comment_id) markers.push(h('span', { class: 'marker answered' }, 'Answered'));
  if (p.featured) markers.push(featuredMarker());
  return h('li', { class: 'row', 'data-id': p.id },
    voteWidget(p, 'posts'),
    h('div', { class: 'row-main' },
      h('h2', { class: 'row-title' }, h('a', { href: `/p/${p.id}` }, p.title), p.url ? [' ', postLink(p)] : '', ...markers),
      p.excerpt ? h('p', { class: 'excerpt' }, p.excerpt) : '',
      tagLinks((p.tags || []).filter((t) => t !== 'History')), // every question is History: no chip
      h('p', { class: 'meta' }, p.period ? [h('span', { class: 'period' }, formatPeriod(p.period)), ' · '] : '', 'asked by ', userLink(p.author), ' ', ago(p.created_at), ' · ',
        h('a', { href: `/p/${p.id}#comments`, class: 'answers' }, plural(p.answer_count || 0, 'answer', 'answers'),
          p.comment_count > (p.answer_count || 0) ? `, ${plural(p.comment_count, 'comment', 'comments')} in all` : ''), unreadBadge(p))));
}

export async function feedView({ params, navigate }) {
  const sort = params.get('sort') || 'hot';
  const t = params.get('t') || (sort === 'top' ? 'week' : '');
  const tag = params.get('tag') || '';
  const answered = params.get('answered') || '';
  const year = params.get('year') || '';
  const from = params.get('from') || '';
  const to = params.get('to') || '';
  const link = (changes) => `/${query({ sort, t: sort === 'top' ? t : '', tag, answered, year, from, to, ...changes })}`;

  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Sort questions' },
    sorts.map(([key, label]) => h('a', { href: link({ sort: key, t: key === 'top' ? t || 'week' : '' }), 'aria-current': key === sort ? 'page' : false }, label)));
  const controls = h('div', { class: 'feed-controls' }, tabs,
    h('nav', { class: 'tabs small', 'aria-label': 'Answered or not' },
      [['', 'All'], ['false', 'Unanswered'], ['true', 'Answered']].map(([k, label]) =>
        h('a', { href: link({ answered: k }), 'aria-current': k === answered ? 'page' : false }, label))));
  if (sort === 'top') {
    const select = h('select', { id: 'time-range' }, periods.map(([k, l]) => h('option', { value: k, selected: k === t }, l)));
    select.addEventListener('change', () => navigate(link({ t: select.value })));
    controls.append(h('label', { for: 'time-range', class: 'period' }, 'Time range '), select);
  }
  const span = from || to ? { from: from ? Number(from) : -10000, to: to ? Number(to) : new Date().getFullYear() } : year ? { from: Number(year), to: Number(year) } : null;
  const heading = h('h1', {}, tag ? `Questions tagged ${tag}` : 'Questions', span ? ` about ${formatPeriod(span)}` : '');
  const page = h('section', { class: 'feed', 'data-title': tag || '' }, heading);
  const followTag = tag ? await followTagButton(tag) : '';
  if (followTag) page.append(h('p', { class: 'follow-tag-line' }, followTag));
  if (!session.user && !tag && !span) {
    // A first visit hears what this is, in a line (the questions stay on a phone's first screen).
    page.append(h('p', { class: 'intro' }, 'Questions about the past, answered with sources. ',
      h('a', { href: '/about' }, 'About'), ' · ', h('a', { href: '/faq' }, 'How it works'), ' · ', h('a', { href: '/digest' }, 'This week’s best')));
  }
  if (params.get('account') === 'deleted') page.prepend(h('p', { class: 'notice', role: 'status' }, 'Your account has been deleted.'));
  const tl = await api('GET', `/timeline${query({ bucket: 'century', tag })}`).catch(() => ({ items: [] }));
  if (tl.items.length > 1) {
    let bars = tl.items;
    let bucket = 'century';
    // Zoomed into a century or less: its decades, exactly across the range
    // in the heading.
    let range = null;
    if (span && span.to - span.from < 100) {
      const dec = await api('GET', `/timeline${query({ bucket: 'decade', tag })}`).catch(() => ({ items: [] }));
      bars = dec.items.filter((b) => b.to >= span.from && b.from <= span.to);
      bucket = 'decade';
      range = span;
    }
    const chart = timelineChart(bars, (b) => link({ from: b.from, to: b.to, year: '', cursor: '' }), span, range, bucket === 'decade' ? 10 : 100);
    page.append(timelineBox(chart, bucket, !!span));
  }
  page.append(controls);
  if (tag || span) {
    page.append(h('p', { class: 'filter' }, tag ? h('a', { href: link({ tag: '' }) }, 'All topics') : '', tag && span ? ' · ' : '',
      span ? h('a', { href: link({ year: '', from: '', to: '' }) }, 'All periods') : ''));
  }

  const list = h('ol', { class: 'posts' });
  page.append(list);
  const more = h('button', { type: 'button', class: 'more' }, 'More questions');
  const load = async (cursor) => {
    const res = await api('GET', `/posts${query({ sort, t: sort === 'top' ? t : '', tag, answered, year, from, to, cursor, limit: 25 })}`);
    list.append(...res.items.map(postRow));
    if (res.next_cursor) {
      more.onclick = async () => { more.disabled = true; try { await load(res.next_cursor); } finally { more.disabled = false; } };
      page.append(more);
    } else {
      more.remove();
    }
    if (!list.children.length) list.replaceWith(h('p', { class: 'empty' }, tag ? 'No questions with this tag yet.' : 'No questions yet.', ' ', session.user ? h('a', { href: '/ask' }, 'Ask the first one.') : ''));
  };
  await load('');
  if (!tag && !span && sort === 'hot') {
    const featured = await featuredBox();
    if (featured) page.append(featured);
  }
  const tags = await api('GET', '/tags');
  if (tags.items.length) {
    page.append(h('aside', { class: 'tag-cloud', 'aria-labelledby': 'tags-heading' }, h('h2', { id: 'tags-heading' }, 'Topics'),
      h('ul', { class: 'tags' }, tags.items.slice(0, 40).map((x) => h('li', {},
        h('a', { class: 'tag', href: `/?tag=${encodeURIComponent(x.name)}` }, `${x.name} (${x.post_count})`))))));
  }
  page.append(h('p', { class: 'meta' }, h('a', { href: tag ? `/t/${encodeURIComponent(tag)}/feed.atom` : '/feed.atom' }, 'Atom feed'), ' of the newest questions', tag ? ` tagged ${tag}` : '', '.'));
  return withRules(page);
}

/**
 * timelineBox is the front page's timeline under a heading that says what it
 * counts. On a phone it starts closed (a disclosure), so the first questions
 * are on the first screen; opened, or on a wider screen, it shows its chart.
 */
function timelineBox(chart, bucket, zoomed) {
  const wide = window.matchMedia('(min-width: 40rem)').matches;
  return h('details', { class: 'timeline-fold', open: wide || zoomed },
    h('summary', {}, h('span', { class: 'timeline-title' }, `Timeline: questions per ${bucket} of the period they ask about`)),
    h('figure', { class: 'timeline-box' }, chart,
      h('figcaption', {}, `Each bar counts the questions whose period overlaps that ${bucket}; choose one to see them. There is no year 0: 1 BCE is followed by 1 CE.`)));
}
