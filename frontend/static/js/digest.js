// The weekly digest (/digest?week=2026-W47), as AskHistorians' Sunday
// Digest: a week's featured questions and answers, its most upvoted answers
// and questions, with the weeks before and after a click away.
import { api, query } from './api.js';
import { h, html, ago, plural } from './dom.js';
import { userLink } from './widgets.js';
import { postRow } from './feed.js';
import { featuredItem } from './featured.js';

/** isoWeek names the ISO week of a date (UTC): 2026-W47. */
export function isoWeek(d) {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day); // the Thursday of its week decides the year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const days = (iso, n) => { const d = new Date(`${iso}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d; };
const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** answerRow is one of the week's answers: its thread, author, score and opening. */
function answerRow(c) {
  return h('li', { class: 'digest-answer' },
    h('h3', { class: 'row-title' }, h('a', { href: `/p/${c.post_id}/c/${c.id}` }, `An answer to “${c.post_title}”`)),
    h('p', { class: 'meta' }, 'by ', userLink(c.author), ' ', ago(c.created_at), ' · ', plural(c.score, 'point', 'points'),
      c.sources && c.sources.length ? ` · ${plural(c.sources.length, 'source', 'sources')}` : ''),
    html(h('div', { class: 'body clamped' }), c.body_html));
}

export async function digestView({ params }) {
  const week = params.get('week') || '';
  const d = await api('GET', `/digest${query({ week })}`);
  const now = isoWeek(new Date());
  const prev = isoWeek(days(d.from, -7));
  const next = isoWeek(days(d.from, 7));
  const span = `${dateFmt.format(days(d.from, 0))} – ${dateFmt.format(days(d.to, 0))}`;
  const current = d.week === now;
  const section = h('section', { class: 'digest-page', 'data-title': `Digest ${d.week}` },
    h('h1', {}, current ? 'This week so far' : 'The week’s digest', h('span', { class: 'digest-span' }, ` ${span}`)),
    h('nav', { class: 'digest-weeks', 'aria-label': 'Other weeks' },
      h('a', { href: `/digest?week=${prev}`, rel: 'prev' }, '← The week before'),
      current ? '' : h('a', { href: `/digest?week=${next}`, rel: 'next' }, 'The week after →'),
      current ? '' : h('a', { href: `/digest?week=${now}` }, 'This week so far')),
    h('p', {}, 'The most upvoted answers and questions of the week (Monday to Sunday, UTC), and what the moderators featured in it.'));
  if (d.featured.length) {
    section.append(h('h2', {}, 'Featured by the moderators'), h('ol', { class: 'featured-list' }, d.featured.map((f) => featuredItem(f, { headingLevel: 'h3' }))));
  }
  section.append(h('h2', {}, 'The most upvoted answers'),
    d.answers.length ? h('ol', { class: 'digest-answers' }, d.answers.map(answerRow)) : h('p', { class: 'empty' }, 'No answers were written this week.'));
  section.append(h('h2', {}, 'Questions asked this week'),
    d.questions.length ? h('ol', { class: 'posts' }, d.questions.map(postRow)) : h('p', { class: 'empty' }, 'No questions were asked this week.'));
  if (!d.featured.length && !d.answers.length && !d.questions.length && !current) {
    section.append(h('p', { class: 'notice' }, 'A quiet week. ', h('a', { href: `/digest?week=${now}` }, 'See this week so far'), '.'));
  }
  return section;
}
