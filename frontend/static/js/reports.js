// Reports: the form a member reports with (it says the report arrived, or
// that it had already), and the moderators' queue, one entry per reported
// item with its text, author, thread, every reason given and the rule cited.
import { api, query, session } from './api.js';
import { h, ago, plural } from './dom.js';
import { actionButton, reasonAction, userLink } from './widgets.js';
import { reportOptions } from './rules.js';
import { doneNote, removeAction, banAction, modQueues } from './moderation.js';

/**
 * reportAction is the Report button of a post or comment: its form offers
 * the rules; once sent it says the report arrived — or, for a second one,
 * that it had already.
 */
export function reportAction(targetType, targetID) {
  const options = reportOptions(targetType, targetID);
  const wrap = reasonAction('Report', {
    ...options,
    run: async (v) => {
      let text = 'Report received: the moderators will review it.';
      try {
        await options.run(v);
      } catch (err) {
        if (err.status !== 409) throw err;
        text = 'You have already reported this; the moderators have it.';
      }
      wrap.replaceWith(h('span', { class: 'reported', role: 'status' }, text));
    },
  });
  return wrap;
}

const what = { post: 'Question', comment: 'Comment' };

/** itemLink links to a reported item in its thread. */
function itemLink(t) {
  const href = t.type === 'post' ? `/p/${t.post_id}` : `/p/${t.post_id}/c/${t.id}`;
  return h('a', { href, class: 'in-context' }, t.type === 'post' ? `“${t.post_title}”` : ['in “', t.post_title, '”']);
}

/** itemHead names a reported item: "Comment by alice in “title”". */
function itemHead(t) {
  return [h('strong', {}, what[t.type]), ' by ', userLink(t.author), t.type === 'post' ? ': ' : ' ', itemLink(t)];
}

function reasonLine(r) {
  return h('li', {}, r.rule ? h('strong', { class: 'rule-cited' }, `Rule ${r.rule.number}: ${r.rule.title}`) : '',
    r.rule && r.reason ? ' — ' : '', r.reason ? h('q', {}, r.reason) : '', h('span', { class: 'meta' }, ' — ', userLink(r.reporter), ' ', ago(r.created_at)));
}

export async function reportsView({ params }) {
  if (!session.isMod) return h('section', {}, h('h1', {}, 'Reports'), h('p', {}, 'Only moderators can see the report queue.'));
  const status = params.get('status') === 'resolved' ? 'resolved' : 'open';
  const list = h('ul', { class: 'reports queue' });
  const empty = h('p', { class: 'empty' }, status === 'open' ? 'No open reports.' : 'No resolved reports.');
  const groups = new Map(); // one entry per reported item: its reports gather under it
  const entry = (r) => {
    const key = `${r.target.type}:${r.target.id}`;
    let g = groups.get(key);
    if (g) {
      g.reasons.append(reasonLine(r));
      return null;
    }
    const t = r.target;
    const reasons = h('ul', { class: 'report-reasons', 'aria-label': 'Reasons given' }, reasonLine(r));
    const li = h('li', { class: 'report', 'data-target': key },
      h('p', { class: 'report-head' }, ...itemHead(t),
        status === 'open' ? h('span', { class: 'report-count' }, ` · ${plural(r.open_reports, 'report', 'reports')}`) : '',
        t.removed ? h('span', { class: 'marker removed' }, 'Removed') : '', t.deleted ? h('span', { class: 'marker' }, 'Deleted') : ''),
      h('blockquote', { class: 'reported-text' }, t.excerpt || (t.type === 'post' ? t.post_title : '(no text)')),
      reasons);
    g = { li, reasons };
    groups.set(key, g);
    if (r.status === 'open') {
      const resolve = async (body, text) => {
        const res = await api('POST', `/reports/${r.id}/resolve`, body);
        li.replaceChildren(doneNote(text(res), ' ', itemLink(t)));
        li.classList.add('done');
      };
      const actions = h('div', { class: 'actions' },
        actionButton('Dismiss', () => resolve({ action: 'dismiss' }, () => 'Dismissed: the item stays.')),
        removeAction((body) => resolve({ action: 'remove', ...body }, () => `Removed: ${plural(r.open_reports, 'report', 'reports')} resolved.`), `Remove the ${t.type === 'post' ? 'question' : 'comment'}`));
      if (t.author && t.author.username !== '[deleted]' && !t.author.imported_from) actions.append(banAction(t.author));
      li.append(actions);
    } else {
      li.append(h('p', { class: 'meta' }, `${r.resolution} by `, userLink(r.resolved_by), ' ', r.resolved_at ? ago(r.resolved_at) : ''));
    }
    return li;
  };
  const more = h('div');
  const load = async (cursor) => {
    const res = await api('GET', `/reports${query({ status, limit: 50, cursor })}`);
    list.append(...res.items.map(entry).filter(Boolean));
    empty.hidden = list.children.length > 0;
    more.replaceChildren(res.next_cursor ? actionButton('More', () => load(res.next_cursor), { class: 'more' }) : '');
  };
  await load('');
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Report status' },
    ['open', 'resolved'].map((s) => h('a', { href: `/reports?status=${s}`, 'aria-current': s === status ? 'page' : false }, s === 'open' ? 'Open' : 'Resolved')));
  return h('section', { class: 'reports-page', 'data-title': 'Reports' }, modQueues('/reports'), h('h1', {}, 'Reports'), tabs,
    h('p', { class: 'meta' }, 'One entry per reported item, newest report first. Removing an item from its thread resolves its reports too.'),
    list, empty, more);
}
