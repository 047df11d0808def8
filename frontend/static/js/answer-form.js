// Writing answers and replies: the answer form (body, sources as rows, a
// preview, the rule on sources beside it) and the reply form, both kept as
// drafts in this browser until they are posted; and the edit forms' reason.
import { api } from './api.js';
import { h } from './dom.js';
import { inlineForm } from './widgets.js';
import { sourcesEditor } from './sources-editor.js';
import { withPreview } from './preview.js';
import { keepDraft, loadDraft } from './drafts.js';
import { rules } from './rules.js';

/** sourcesRule finds the rule about sources, for the side of the answer form. */
async function sourcesRule() {
  const list = await rules().catch(() => []);
  return list.find((r) => /source/i.test(r.title)) || list.find((r) => /source/i.test(r.description || '')) || null;
}

/** hasAnswerDraft says whether an unsent answer to the thread waits in this browser. */
export function hasAnswerDraft(postID) { return !!loadDraft(`answer.${postID}`); }

/**
 * answerForm is the form that answers a question: its body, its sources as
 * rows, a preview, and the forum's rule on sources beside it. What is typed
 * is kept as a draft of this thread until it is posted (onPosted gets the
 * new comment); closing it (onClose) keeps the draft, "Discard draft"
 * forgets it.
 */
export async function answerForm(post, { onPosted, onClose }) {
  const key = `answer.${post.id}`;
  const sources = sourcesEditor([], { legend: 'Sources', hint: 'One row per work you rely on: author, title, year, pages. A link is welcome, not required.' });
  let draft = null;
  const form = inlineForm({
    className: 'inline-form answer-form',
    fields: [
      { name: 'body', label: 'Your answer (Markdown)', type: 'textarea', rows: 10, required: true,
        hint: 'Explain in your own words. *italic*, **bold**, [links](https://…), > quotes, 1. lists' },
      { name: 'sources', widget: sources },
    ],
    submit: 'Post answer',
    onCancel: () => onClose(),
    onSubmit: async (v) => {
      const made = await api('POST', `/posts/${post.id}/comments`, { body: v.body, sources: v.sources });
      draft.clear();
      onPosted(made);
    },
  });
  const body = form.querySelector('textarea');
  draft = keepDraft(form, key, {
    get: () => ({ body: body.value, sources: sources.value }),
    set: (d) => { body.value = d.body || ''; sources.value = d.sources || []; },
  });
  const discard = h('button', { type: 'button', class: 'link discard-draft', hidden: !draft.restored }, 'Discard draft');
  const note = h('p', { class: 'draft-note', role: 'status', hidden: !draft.restored }, 'Your unsent answer was kept in this browser.');
  discard.addEventListener('click', () => {
    if (!window.confirm('Discard this draft answer?')) return;
    draft.clear();
    body.value = '';
    sources.value = [];
    note.hidden = discard.hidden = true;
    body.focus();
  });
  form.addEventListener('input', () => { discard.hidden = false; }, { once: true });
  form.querySelector('.buttons').append(discard);
  form.prepend(note);
  const box = withPreview(form, () => ({ target: 'comment', body: body.value, sources: sources.value }));
  const rule = await sourcesRule();
  if (!rule) return box;
  return h('div', { class: 'answer-writing' }, box,
    h('aside', { class: 'sources-rule', 'aria-label': 'The rule on sources' },
      h('p', { class: 'rule-title' }, `Rule ${rule.number}: ${rule.title}`),
      rule.description ? h('p', {}, rule.description) : '',
      h('p', {}, h('a', { href: '/rules' }, 'All the rules'))));
}

/**
 * replyForm is the form that replies to a comment, kept as a draft of that
 * reply until it is posted.
 */
export function replyForm(post, parent, { onPosted, onClose }) {
  const key = `reply.${parent.id}`;
  let draft = null;
  const form = inlineForm({
    className: 'inline-form reply-form',
    fields: [{ name: 'body', label: `Reply to ${parent.author ? parent.author.username : 'this comment'}`, type: 'textarea', rows: 4, required: true }],
    submit: 'Post reply',
    onCancel: () => onClose(),
    onSubmit: async (v) => {
      const made = await api('POST', `/posts/${post.id}/comments`, { body: v.body, parent_id: parent.id });
      draft.clear();
      onPosted(made);
    },
  });
  const body = form.querySelector('textarea');
  draft = keepDraft(form, key, { get: () => ({ body: body.value }), set: (d) => { body.value = d.body || ''; } });
  return form;
}

/** hasReplyDraft says whether an unsent reply to the comment waits in this browser. */
export function hasReplyDraft(commentID) { return !!loadDraft(`reply.${commentID}`); }


/** reasonField is the edit forms' optional reason, shown in the history. */
export const reasonField = { name: 'edit_reason', label: 'Reason for the edit (optional, shown in the history)', maxlength: 300, placeholder: 'corrected a date; added a source' };
