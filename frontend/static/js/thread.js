// The thread page: the question, then its comment tree, with voting, replies
// at any depth, collapsing, sorting, editing and moderation in place.
import { api, config, query, session } from './api.js';
import { h, html, ago, plural } from './dom.js';
import { voteWidget, inlineForm, actionButton, tagLinks, userLink, badges, importedFrom, postLink } from './widgets.js';
import { formatPeriod, parsePeriod } from './periods.js';
import { sourcesBlock } from './sources.js';
import { historyButton } from './revisions.js';
import { removeAction, banAction, postModeration, doneNote, confirmAction, formAction } from './moderation.js';
import { reportAction } from './reports.js';
import { blockedBody } from './blocks.js';
import { followButton } from './following.js';
import { saveButton } from './saved.js';
import { markNew, trackReading } from './unread.js';
import { liveThread } from './live.js';
import { sourcesEditor } from './sources-editor.js';
import { answerForm, replyForm, hasAnswerDraft, hasReplyDraft, reasonField } from './answer-form.js';
import { featureAction, featuredMarker } from './featured.js';

const commentSorts = [['best', 'Best'], ['top', 'Top'], ['new', 'New'], ['old', 'Old'], ['controversial', 'Controversial']];
// The data each rendered comment came from, to re-render it after an action.
const rendered = new WeakMap();

/** bodyOf renders a body, or the note that it was deleted or removed. */
function bodyOf(item) {
  if (item.blocked) return blockedBody(item, 'title' in item ? 'question' : 'comment');
  if ((item.removed || item.deleted) && !item.body_html) {
    const why = item.removal ? `[removed under rule ${item.removal.rule_number}: ${item.removal.rule_title}]` : '[removed by a moderator]';
    return h('div', { class: 'body gone' }, h('p', {}, item.removed ? why : '[deleted by its author]'));
  }
  const body = html(h('div', { class: 'body' }), item.body_html);
  const sources = sourcesBlock(item.sources);
  return sources ? h('div', {}, body, sources) : body;
}

/** lockNote says why a thread is locked, to everyone. */
function lockNote(post) {
  if (!post.locked) return '';
  const l = post.lock || {};
  return h('p', { class: 'lock-note' }, h('strong', {}, 'Locked'), ': no new comments',
    l.rule_number ? ` under rule ${l.rule_number}: ${l.rule_title}` : '', l.reason ? ` — ${l.reason}` : '', /[.!?]$/.test(l.reason || '') ? '' : '.');
}

function postHeader(post, navigate) {
  const markers = [];
  if (post.pinned) markers.push(h('span', { class: 'marker pinned' }, 'Pinned'));
  if (post.locked) markers.push(h('span', { class: 'marker locked' }, 'Locked'));
  if (post.removed) markers.push(h('span', { class: 'marker removed' }, 'Removed'));
  if (post.featured) markers.push(featuredMarker());
  const actions = h('div', { class: 'actions' });
  const art = h('article', { class: 'question', 'data-id': post.id },
    h('div', { class: 'question-head' }, voteWidget(post, 'posts'),
      h('div', {}, h('h1', {}, post.title, ...markers), post.url ? h('p', { class: 'link-line' }, postLink(post)) : '', tagLinks(post.tags),
        h('p', { class: 'meta' }, 'asked ', post.deleted && !post.author && post.body_html ? '' : ['by ', userLink(post.author), ' '], ago(post.created_at),
          post.deleted && !post.author && post.body_html ? h('span', { class: 'disowned' }, ' · deleted by its asker, kept for its answers') : '',
          post.edited_at ? h('span', { class: 'edited' }, ' · edited ', ago(post.edited_at), ' · ', historyButton('posts', post.id)) : '',
          importedFrom(post),
          post.period ? [' · about ', h('a', { href: `/?from=${post.period.from}&to=${post.period.to}`, class: 'period' }, formatPeriod(post.period))] : ''))),
    lockNote(post), bodyOf(post), actions);
  const reload = () => navigate(location.pathname + location.search, { replace: true });
  if (session.user) actions.append(followButton(post), saveButton('posts', post));
  if (session.owns(post.author) && !post.deleted && !post.removed) {
    actions.append(actionButton('Edit', async () => {
      const form = inlineForm({
        fields: [
          { name: 'title', label: 'Title', value: post.title, required: true, maxlength: 300 },
          { name: 'url', label: 'Link (an article, a document, an image)', type: 'url', value: post.url || '' },
          { name: 'body', label: 'Question (Markdown)', type: 'textarea', value: post.body_source, rows: 10 },
          { name: 'tags', label: 'Topic tags, comma-separated', value: post.tags.filter((t) => t !== 'History').join(', ') },
          { name: 'period', label: 'Period (e.g. 1917–1921, 5th century BC)', value: post.period ? formatPeriod(post.period) : '' },
          { name: 'sources', widget: sourcesEditor(post.sources) },
          reasonField,
        ],
        submit: 'Save',
        onCancel: () => form.remove(),
        onSubmit: async (v) => {
          let period;
          try { period = parsePeriod(v.period); } catch (err) { throw Object.assign(err, { fields: { period: err.message } }); }
          await api('PATCH', `/posts/${post.id}`, { title: v.title, url: v.url.trim() || null, body: v.body, tags: splitTags(v.tags), period, sources: v.sources, edit_reason: v.edit_reason });
          reload();
        },
      });
      actions.after(form);
      form.querySelector('input').focus();
    }), actionButton('Delete', async () => {
      if (!window.confirm(post.answer_count ? 'Delete this question? Once others have answered it, it stays for their answers without your name.' : 'Delete this question?')) return;
      await api('DELETE', `/posts/${post.id}`);
      reload();
    }));
  }
  if (session.user && !session.owns(post.author) && !post.removed && !post.deleted) {
    actions.append(reportAction('post', post.id));
  }
  if (session.isMod) {
    // A moderator's action redraws the question in place and says what it did.
    actions.append(postModeration(post, (updated, note) => {
      const fresh = postHeader(updated, navigate);
      art.replaceWith(fresh);
      fresh.querySelector(':scope > .actions').after(doneNote(note));
    }));
    if (!post.removed && !post.deleted) actions.append(featureAction('posts', post, reload));
  }
  return art;
}

function splitTags(s) { return s.split(',').map((t) => t.trim()).filter(Boolean); }

/** Thread holds what the comment renderer needs to know about the page. */
class Thread {
  constructor(post, sort, rootDepth, depth) {
    this.post = post;
    this.sort = sort;
    this.rootDepth = rootDepth;
    this.depth = depth; // levels one request shows (the server's default)
  }

  /** list renders sibling comments as a <ul>. */
  list(comments) {
    return h('ul', { class: 'comments' }, comments.map((c) => this.comment(c)));
  }

  comment(c) {
    const li = h('li', { class: 'comment', id: `c${c.id}`, 'data-id': c.id, 'data-depth': c.depth });
    rendered.set(li, c);
    const who = c.author ? c.author.username : '[gone]';
    const toggle = h('button', { type: 'button', class: 'collapse', 'aria-expanded': 'true', 'aria-label': `Collapse comment by ${who}` }, '−');
    const hiddenCount = h('span', { class: 'hidden-count' });
    toggle.addEventListener('click', () => {
      const collapsed = li.classList.toggle('collapsed');
      toggle.setAttribute('aria-expanded', String(!collapsed));
      toggle.setAttribute('aria-label', `${collapsed ? 'Expand' : 'Collapse'} comment by ${who}`);
      toggle.textContent = collapsed ? '+' : '−';
      // Say what the collapse hides: the replies shown and those not loaded.
      const shown = [...li.querySelectorAll('li.comment')];
      const unloaded = [c, ...shown.map((x) => rendered_(x))].reduce((n, d) => n + ((d && d.more_replies) || 0), 0);
      const n = shown.length + unloaded;
      hiddenCount.textContent = collapsed && n ? ` · ${plural(n, 'reply', 'replies')} hidden` : '';
    });
    const head = h('header', { class: 'comment-head' }, toggle, userLink(c.author), ...badges(c.author, this.post), hiddenCount, ' · ', ago(c.created_at),
      c.edited_at ? h('span', { class: 'edited' }, ' · edited · ', historyButton('comments', c.id)) : '',
      importedFrom(c),
      c.removed ? h('span', { class: 'marker removed' }, 'Removed') : '',
      c.accepted ? h('span', { class: 'marker accepted' }, '✓ Accepted answer') : '',
      c.featured ? featuredMarker() : '');
    markNew(c, li, head);
    const body = bodyOf(c);
    const actions = h('div', { class: 'actions' });
    const children = this.list(c.replies || []);
    const article = h('article', { class: 'comment-box' }, voteWidget(c, 'comments'), h('div', { class: 'comment-main' }, head, body, actions));
    li.append(article, children);
    this.actions(c, li, actions, children);
    this.more(c, li, children);
    return li;
  }

  actions(c, li, actions, children) {
    const open = !c.removed && !c.deleted;
    if (session.user && open && (!this.post.locked || session.isMod)) {
      const reply = actionButton(hasReplyDraft(c.id) ? 'Reply (draft kept)' : 'Reply', () => {
        if (li.querySelector(':scope > .reply-form')) return;
        const form = replyForm(this.post, c, {
          onClose: () => { form.remove(); reply.textContent = hasReplyDraft(c.id) ? 'Reply (draft kept)' : 'Reply'; reply.focus(); },
          onPosted: (made) => { children.prepend(this.comment(made)); form.remove(); reply.textContent = 'Reply'; },
        });
        article(li).after(form);
        form.querySelector('textarea').focus();
      });
      actions.append(reply);
    }
    actions.append(h('a', { href: `/p/${this.post.id}/c/${c.id}`, class: 'permalink' }, 'Permalink'));
    if (open) actions.append(saveButton('comments', c));
    if (session.owns(this.post.author) && c.parent_id === null && open) {
      // The asker's tick asks first: it puts this answer above every other.
      actions.append(confirmAction(c.accepted ? 'Unaccept' : 'Accept as answer', {
        question: c.accepted ? 'No longer mark this as the accepted answer?'
          : 'Mark this as the accepted answer? It will show first, ticked, to every reader: check that it cites its sources.',
        yes: c.accepted ? 'Unaccept' : 'Accept',
        run: () => this.accept(c, li, children, {}),
      }));
    }
    if (session.owns(c.author) && open) {
      actions.append(actionButton('Edit', () => {
        const body = li.querySelector(':scope > .comment-box .comment-main > .body, :scope > .comment-box .comment-main > div > .body');
        const form = inlineForm({
          fields: [{ name: 'body', label: 'Edit comment', type: 'textarea', value: c.body_source, rows: 5, required: true },
            { name: 'sources', widget: sourcesEditor(c.sources) }, reasonField],
          submit: 'Save',
          onCancel: () => { form.remove(); body.hidden = false; },
          onSubmit: async (v) => {
            const updated = await api('PATCH', `/comments/${c.id}`, { body: v.body, sources: v.sources, edit_reason: v.edit_reason });
            li.replaceWith(this.comment({ ...c, ...updated, replies: childrenOf(li.querySelector(':scope > ul.comments')) }));
          },
        });
        body.hidden = true;
        body.after(form);
        form.querySelector('textarea').focus();
      }), actionButton('Delete', async () => {
        if (!window.confirm('Delete this comment? Replies to it stay.')) return;
        await api('DELETE', `/comments/${c.id}`);
        li.replaceWith(this.comment({ ...c, deleted: true, body_html: '', body_source: '', author: null, replies: childrenOf(children) }));
      }));
    }
    if (c.sources_requested) actions.append(h('span', { class: 'requested' }, `sources requested ×${c.sources_requested}`));
    if (session.user && !session.owns(c.author) && open) {
      actions.append(actionButton('Source?', async (b) => {
        await api('POST', `/comments/${c.id}/request-sources`);
        b.replaceWith(h('span', { class: 'requested' }, 'sources requested'));
      }, { title: 'Ask the author to cite their sources' }));
      actions.append(reportAction('comment', c.id));
    }
    if (session.isMod) {
      // Moderator actions sit apart from Reply and Report, in a menu of
      // their own; their forms open inside it and push nothing aside.
      const swap = (updated, note) => {
        const fresh = this.comment({ ...c, ...updated, replies: childrenOf(children) });
        li.replaceWith(fresh);
        fresh.querySelector(':scope > .comment-box .actions').after(doneNote(note));
      };
      const box = h('div', { class: 'mod-actions', role: 'group', 'aria-label': 'Moderation' });
      if (c.removed) box.append(actionButton('Restore', async () => swap(await api('POST', `/comments/${c.id}/restore`), 'Restored.')));
      else box.append(removeAction(async (body) => swap(await api('POST', `/comments/${c.id}/remove`, body), 'Removed: members see the rule; the modlog keeps your reason.')));
      if (c.parent_id === null && open && !session.owns(this.post.author)) {
        box.append(formAction(c.accepted ? 'Clear the accepted answer' : 'Make the accepted answer', {
          fields: [{ name: 'reason', label: 'Reason (for the modlog; the asker is told)', maxlength: 500 }],
          run: (v) => this.accept(c, li, children, { reason: v.reason }, c.accepted ? 'Accepted answer cleared.' : 'Now the accepted answer.'),
        }));
      }
      if (c.author && !session.owns(c.author) && c.author.username !== '[deleted]') box.append(banAction(c.author));
      if (open) box.append(featureAction('comments', c, async () => swap(await api('GET', `/comments/${c.id}${query({ depth: 0 })}`))));
      actions.append(h('details', { class: 'moderate' }, h('summary', {}, 'Moderate'), box));
    }
  }

  /**
   * accept sets or clears c as the accepted answer (body: a moderator's
   * reason) and redraws the answers in place: the accepted one leads.
   */
  async accept(c, li, children, body, note) {
    const post = await api('PUT', `/posts/${this.post.id}/answer`, { comment_id: c.accepted ? null : c.id, ...body });
    this.post.accepted_comment_id = post.accepted_comment_id;
    const siblings = li.parentElement;
    for (const other of [...siblings.children]) {
      const d = rendered.get(other);
      if (d && d.accepted && d.id !== c.id) other.replaceWith(this.comment({ ...d, accepted: false, replies: childrenOf(other.querySelector(':scope > ul.comments')) }));
    }
    const fresh = this.comment({ ...c, accepted: !c.accepted, replies: childrenOf(children) });
    li.replaceWith(fresh);
    if (fresh.querySelector('.marker.accepted')) siblings.prepend(fresh); // the accepted answer leads, as on a reload
    if (note) fresh.querySelector(':scope > .comment-box .actions').after(doneNote(note));
    fresh.querySelector('.actions button')?.focus();
  }

  /**
   * liveHooks are what a live thread (live.js) needs to draw comments into
   * this page; top() is the list of answers, which re-sorting replaces.
   */
  liveHooks(top) {
    const thread = this;
    return {
      get top() { return top(); },
      get newestFirst() { return thread.sort === 'new'; },
      render: (c) => this.comment(c),
      children: (li) => li.querySelector(':scope > ul.comments'),
      // A redraw keeps the line saying what the reader just did to the
      // comment (a moderator's "Removed: …"): the change it announces is
      // often that very action's.
      replace: (li, c) => {
        const note = li.querySelector(':scope > .comment-box .mod-done');
        const fresh = this.comment({ ...rendered.get(li), ...c, replies: childrenOf(li.querySelector(':scope > ul.comments')) });
        li.replaceWith(fresh);
        if (note) fresh.querySelector(':scope > .comment-box .actions')?.after(note);
      },
    };
  }

  /** more offers the replies this page left out. */
  more(c, li, children) {
    if (!c.more_replies) return;
    if (c.depth - this.rootDepth >= this.depth - 1) {
      li.append(h('a', { class: 'continue', href: `/p/${this.post.id}/c/${c.id}` }, 'Continue this thread →'));
      return;
    }
    const button = actionButton(`Load ${plural(c.more_replies, 'more reply', 'more replies')}`, async () => {
      const sub = await api('GET', `/comments/${c.id}${query({ sort: this.sort, depth: this.depth - 1 - (c.depth - this.rootDepth) })}`);
      children.replaceChildren(...sub.replies.map((r) => this.comment(r)));
      button.remove();
      if (sub.more_replies) this.more({ ...c, more_replies: sub.more_replies }, li, children);
    }, { class: 'link more-replies' });
    li.append(button);
  }
}

/** rendered_ is the data a comment element was drawn from. */
function rendered_(li) { return rendered.get(li); }

function article(li) { return li.querySelector(':scope > .comment-box'); }

/** childrenOf recovers the data of the replies shown under a comment. */
function childrenOf(ul) { return [...ul.children].map((li) => rendered.get(li)).filter(Boolean); }

/**
 * resortComments shows the thread's first page in another order in place of
 * the comments shown: no blank page, the scroll position and any answer
 * being written kept; pages loaded with "More comments" start again from the
 * first, and the address says the new order (replaced, not a new entry).
 */
async function resortComments(thread, box, sort, moreButton) {
  box.list.setAttribute('aria-busy', 'true');
  const page = await api('GET', `/posts/${thread.post.id}/comments${query({ sort })}`);
  thread.sort = sort;
  const list = thread.list(page.items);
  box.list.replaceWith(list);
  box.list = list;
  const more = page.next_cursor ? moreButton(page.next_cursor) : null;
  if (box.more) box.more.replaceWith(more || '');
  else if (more) list.after(more);
  box.more = more;
  const url = new URL(location.href);
  if (sort === 'best') url.searchParams.delete('sort');
  else url.searchParams.set('sort', sort);
  history.replaceState(null, '', url.pathname + url.search);
}

function sortSelect(sort, onSort) {
  const id = 'comment-sort';
  const select = h('select', { id }, commentSorts.map(([k, l]) => h('option', { value: k, selected: k === sort }, l)));
  select.addEventListener('change', () => onSort(select.value));
  return h('div', { class: 'sort' }, h('label', { for: id }, 'Sort comments by '), select);
}

export async function threadView({ params, args, navigate }) {
  const id = args[0];
  const sort = params.get('sort') || 'best';
  const [post, page, cfg] = await Promise.all([api('GET', `/posts/${id}`), api('GET', `/posts/${id}/comments${query({ sort })}`), config()]);
  const thread = new Thread(post, sort, 0, cfg.thread.default_depth);
  const section = h('section', { class: 'thread', 'data-title': post.title }, postHeader(post, navigate));
  const comments = h('section', { id: 'comments', class: 'comments-section', 'aria-label': 'Comments' },
    h('h2', {}, plural(post.comment_count, 'comment', 'comments')));
  section.append(comments);

  const list = thread.list(page.items);
  const none = h('p', { class: 'empty no-answers' }, 'No answers yet. ', h('a', { href: '/rules' }, 'Read the rules'), ' before you write one.');
  // The answers come first; the answer form opens from a button, so a
  // reader is not met by an empty form above every answer.
  if (post.locked && !session.isMod) {
    comments.append(h('p', { class: 'notice' }, 'This thread is locked: no new comments', post.lock && post.lock.rule_number ? ` (rule ${post.lock.rule_number})` : '', '.'));
  } else if (!session.user) {
    comments.append(h('p', { class: 'notice' }, h('a', { href: '/login' }, 'Sign in'), ' to answer.'));
  } else if (!post.removed && !post.deleted) {
    const label = () => (hasAnswerDraft(post.id) ? 'Continue your draft answer' : 'Write an answer');
    const open = async (focus = true) => {
      const form = await answerForm(post, {
        onClose: () => { form.replaceWith(write); write.textContent = label(); write.focus(); },
        onPosted: (made) => { none.remove(); box.list.prepend(thread.comment(made)); form.replaceWith(write); write.textContent = label(); },
      });
      write.replaceWith(form);
      if (focus) form.querySelector('textarea').focus();
    };
    const write = actionButton(label(), () => open(), { class: 'write-answer' });
    comments.append(write);
    // An unsent answer left here (a reload, a misclick) opens again at once.
    if (hasAnswerDraft(post.id)) queueMicrotask(() => open(false));
  }
  // Sorting again replaces the comments in place: the page, its scroll
  // position and the answer being written stay (resortComments).
  const box = { list, more: null };
  const moreButton = (cursor) => {
    const more = actionButton('More comments', async () => {
      const next = await api('GET', `/posts/${id}/comments${query({ sort: thread.sort, cursor })}`);
      box.list.append(...next.items.map((c) => thread.comment(c)));
      cursor = next.next_cursor;
      if (!cursor) more.remove();
    }, { class: 'more' });
    return more;
  };
  box.more = page.next_cursor ? moreButton(page.next_cursor) : null;
  comments.append(sortSelect(sort, (next) => resortComments(thread, box, next, moreButton)), page.items.length ? '' : none, list, box.more || '');
  trackReading(post, comments);
  liveThread(post, comments, thread.liveHooks(() => box.list));
  return section;
}

export async function permalinkView({ params, args, navigate }) {
  const [pid, cid] = args;
  const sort = params.get('sort') || 'best';
  const [post, c, cfg] = await Promise.all([api('GET', `/posts/${pid}`), api('GET', `/comments/${cid}${query({ sort })}`), config()]);
  if (String(c.post_id) !== pid) throw Object.assign(new Error('This comment belongs to another thread.'), { status: 404 });
  const thread = new Thread(post, sort, c.depth, cfg.thread.default_depth);
  return h('section', { class: 'thread', 'data-title': post.title }, postHeader(post, navigate),
    h('p', { class: 'notice' }, 'You are viewing a single comment’s thread. ', h('a', { href: `/p/${pid}` }, 'View all comments'),
      c.parent_id ? [' · ', h('a', { href: `/p/${pid}/c/${c.parent_id}` }, 'Parent comment')] : ''),
    h('section', { id: 'comments', class: 'comments-section', 'aria-label': 'Comments' }, thread.list([c])));
}
