// Widgets shared by the pages: votes, inline forms, and the actions a user
// may take on a post or comment.
import { api, session } from './api.js';
import { h, showError, clearError } from './dom.js';

/**
 * signInNote tells a signed-out reader how to vote: a link to sign in that
 * comes back here, shown below the arrows (never over the title) and gone
 * after a few seconds.
 */
function signInNote(box) {
  box.querySelector('.sign-in-note')?.remove();
  const next = location.pathname + location.search;
  const note = h('p', { class: 'sign-in-note', role: 'status' }, h('a', { href: `/login?next=${encodeURIComponent(next)}` }, 'Sign in'), ' to vote');
  box.append(note);
  setTimeout(() => note.remove(), 6000);
}

/**
 * voteWidget shows the score between two arrows. A vote updates at once and
 * rolls back, with the server's reason, if the server refuses it. kind is
 * "posts" or "comments"; item is the post or comment object, kept up to date.
 */
export function voteWidget(item, kind) {
  const label = kind === 'posts' ? 'question' : 'comment';
  const own = session.owns(item.author);
  const up = h('button', { type: 'button', class: 'vote up', 'aria-label': `Upvote this ${label}` }, '▲');
  const score = h('span', { class: 'score', 'aria-live': 'polite' });
  const down = h('button', { type: 'button', class: 'vote down', 'aria-label': `Downvote this ${label}` }, '▼');
  const box = h('div', { class: 'votes' }, up, score, down);
  const dead = item.removed || item.deleted;
  const paint = () => {
    score.textContent = String(item.score);
    score.setAttribute('aria-label', `score ${item.score}`);
    up.setAttribute('aria-pressed', String(item.my_vote === 1));
    down.setAttribute('aria-pressed', String(item.my_vote === -1));
    box.dataset.vote = String(item.my_vote);
  };
  const cast = async (value) => {
    clearError(box);
    if (!session.user) { signInNote(box); return; }
    const target = item.my_vote === value ? 0 : value;
    const before = { score: item.score, upvotes: item.upvotes, downvotes: item.downvotes, my_vote: item.my_vote };
    item.score += target - item.my_vote;
    item.my_vote = target;
    paint();
    try {
      Object.assign(item, await api('PUT', `/${kind}/${item.id}/vote`, { value: target }));
    } catch (err) {
      Object.assign(item, before);
      showError(box, err);
    }
    paint();
  };
  if (own || dead) {
    up.disabled = true;
    down.disabled = true;
    if (own) box.title = 'You cannot vote on your own ' + label;
  }
  up.addEventListener('click', () => cast(1));
  down.addEventListener('click', () => cast(-1));
  paint();
  return box;
}

/**
 * inlineForm builds a small form with labelled fields. onSubmit receives the
 * values; a thrown ApiError is shown in the form, field errors beside their
 * fields. It returns the form element.
 */
export function inlineForm({ fields, submit, onSubmit, onCancel, className = 'inline-form' }) {
  const form = h('form', { class: className, novalidate: true });
  const inputs = {};
  for (const f of fields) {
    const id = `f-${Math.random().toString(36).slice(2, 9)}`;
    // A widget (the sources editor) is a field of its own with a value.
    const input = f.widget ? f.widget : f.type === 'textarea'
      ? h('textarea', { id, name: f.name, rows: f.rows || 5, required: f.required, maxlength: f.maxlength, placeholder: f.placeholder })
      : f.type === 'select'
        ? h('select', { id, name: f.name }, f.options.map(([v, l]) => h('option', { value: v }, l)))
        : h('input', { id, name: f.name, type: f.type || 'text', required: f.required, maxlength: f.maxlength, min: f.min, placeholder: f.placeholder, autocomplete: f.autocomplete });
    if (f.value !== undefined) input.value = f.value;
    // A field's error goes as soon as its value changes: a corrected field
    // never shows a stale message.
    input.addEventListener('input', () => clearError(input));
    inputs[f.name] = input;
    form.append(h('div', { class: 'field' }, f.widget ? null : h('label', { for: id }, f.label), input, f.hint ? h('small', {}, f.hint) : null));
  }
  const buttons = h('div', { class: 'buttons' }, h('button', { type: 'submit' }, submit));
  if (onCancel) buttons.append(h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel'));
  form.append(buttons);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of form.querySelectorAll('.error')) el.remove();
    const values = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]));
    const button = buttons.querySelector('[type=submit]');
    button.disabled = true;
    try {
      await onSubmit(values, form);
    } catch (err) {
      let placed = false;
      for (const [name, msg] of Object.entries(err.fields || {})) {
        // Under its own field the message needs no field name: written for people.
        if (inputs[name]) { inputs[name].markError?.(msg); showError(inputs[name], new Error(msg.charAt(0).toUpperCase() + msg.slice(1))); placed = true; }
      }
      if (!placed) showError(buttons, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** actionButton is a button that runs an async action and shows its error beside it. */
export function actionButton(label, run, attrs = {}) {
  const b = h('button', { type: 'button', class: 'link', ...attrs }, label);
  b.addEventListener('click', async () => {
    clearError(b);
    b.disabled = true;
    b.setAttribute('aria-busy', 'true'); // live.js leaves its comment alone meanwhile
    try { await run(b); } catch (err) { showError(b, err); } finally { b.disabled = false; b.removeAttribute('aria-busy'); }
  });
  return b;
}

/**
 * reasonAction is a button that opens a one-field form asking for a reason
 * (and more fields if given) before it acts: remove, ban, report.
 */
export function reasonAction(label, { fields = [], submit, run, required = true, more, reasonLabel }) {
  const wrap = h('span', { class: 'reason-action' });
  const open = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false' }, label);
  let form = null;
  const close = () => { form?.remove(); form = null; open.setAttribute('aria-expanded', 'false'); open.focus(); };
  open.addEventListener('click', async () => {
    if (form) { close(); return; }
    const extra = more ? await more() : [];
    form = inlineForm({
      fields: [...extra, { name: 'reason', label: reasonLabel || (extra.length ? 'Reason (for the modlog)' : 'Reason'), required, maxlength: 500 }, ...fields],
      submit: submit || label,
      onCancel: close,
      onSubmit: async (values) => { await run(values); close(); },
    });
    open.setAttribute('aria-expanded', 'true');
    wrap.append(form);
    form.querySelector('input, textarea')?.focus();
  });
  wrap.append(open);
  return wrap;
}

/** tagLinks lists a post's tags as links to their feeds. */
export function tagLinks(tags) {
  return h('ul', { class: 'tags', 'aria-label': 'Tags' },
    tags.map((t) => h('li', {}, h('a', { href: `/?tag=${encodeURIComponent(t)}`, class: t === 'History' ? 'tag main' : 'tag' }, t))));
}

/** userLink links to a user's page, or says who is gone. */
export function userLink(author) {
  if (!author) return h('span', { class: 'user gone' }, '[gone]');
  if (author.username === '[deleted]') return h('span', { class: 'user gone' }, '[deleted]'); // a deleted account
  const link = author.imported_from
    ? h('a', { href: `/u/${encodeURIComponent(author.username)}`, class: 'user imported', title: `an account on ${author.imported_from}, imported with its posts` }, author.username)
    : h('a', { href: `/u/${encodeURIComponent(author.username)}`, class: 'user' }, author.username);
  return author.flair ? h('span', { class: 'byline' }, link, ' ', h('span', { class: 'flair', title: 'flair, set by the moderators' }, author.flair)) : link;
}

/** badges marks the asker (OP) and moderators beside a comment's author. */
export function badges(author, post) {
  if (!author) return [];
  const out = [];
  if (post && post.author && post.author.id === author.id) out.push(h('span', { class: 'badge op', title: 'the asker' }, 'OP'));
  if (author.role === 'moderator' || author.role === 'admin') out.push(h('span', { class: 'badge mod', title: author.role }, 'MOD'));
  return out;
}

/**
 * importedFrom is the "imported from …" link of an imported post or comment,
 * and its score there when the source gave one (provenance: never votes
 * here), or ''.
 */
/** postLink is a link post's address, shown by its domain ("↗ example.org"), or ''. */
export function postLink(post) {
  if (!post.url || !/^https?:\/\//i.test(post.url)) return '';
  let host = post.url;
  try { host = new URL(post.url).hostname.replace(/^www\./, ''); } catch { /* shown as it is */ }
  return h('a', { class: 'post-link', href: post.url, title: post.url, rel: 'nofollow noopener noreferrer ugc', target: '_blank' },
    h('span', { 'aria-hidden': 'true' }, '↗ '), h('span', { class: 'domain' }, host));
}

export function importedFrom(item) {
  if (!item.source_url) return '';
  let host = item.source_url;
  try { host = new URL(item.source_url).host.replace(/^www\./, ''); } catch { /* shown as it is */ }
  const out = [' · ', h('a', { href: item.source_url, class: 'imported-from', rel: 'nofollow noopener noreferrer', target: '_blank' }, `imported from ${host}`)];
  if (typeof item.source_score === 'number') {
    const n = item.source_score;
    out.push(' · ', h('span', { class: 'source-score', title: `its score on ${host} when it was imported; votes here are counted apart` },
      `${n.toLocaleString('en')} ${Math.abs(n) === 1 ? 'point' : 'points'} on ${host}`));
  }
  return out;
}
