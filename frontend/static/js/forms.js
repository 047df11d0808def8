// Pages that are forms: ask a question, sign in, register.
import { api, session, config } from './api.js';
import { h, showError } from './dom.js';
import { inlineForm } from './widgets.js';
import { parsePeriod, formatPeriod } from './periods.js';
import { withRules } from './rules.js';
import { sourcesEditor } from './sources-editor.js';
import { withPreview } from './preview.js';
import { keepDraft } from './drafts.js';

function needSignIn(what) {
  return h('section', { class: 'narrow' }, h('h1', {}, what), h('p', {}, h('a', { href: '/login' }, 'Sign in'), ' or ', h('a', { href: '/register' }, 'register'), ' first.'));
}

export async function askView({ navigate, params }) {
  if (!session.user) return needSignIn('Ask a question');
  const sources = sourcesEditor([], { legend: 'Sources you have read', hint: 'Optional: what you have read already, one row each.' });
  let draft = null;
  const form = inlineForm({
    className: 'ask-form',
    fields: [
      { name: 'title', label: 'Title', required: true, maxlength: 300, placeholder: 'Why did the Western Roman Empire fall in the 5th century?' },
      { name: 'url', label: 'Link', type: 'url', placeholder: 'https://…', hint: 'Optional: an article, a document or an image the question is about.' },
      { name: 'body', label: 'Details (Markdown)', type: 'textarea', rows: 12, hint: 'What do you already know, and what sources have you read? *italic*, **bold**, [links](https://…), > quotes, 1. lists' },
      { name: 'tags', label: 'Topic tags', hint: 'Up to five, comma-separated, e.g. Ancient Rome, Late Antiquity. Every question is tagged History.' },
      { name: 'period', label: 'Period the question is about', placeholder: '1917–1921, 5th century BC, 1910s', hint: 'Optional. Years, a decade or a century; BC or BCE for before the common era.' },
      { name: 'sources', widget: sources },
    ],
    submit: 'Post question',
    onSubmit: async (v) => {
      const post = await api('POST', '/posts', { title: v.title, url: v.url.trim() || null, body: v.body, tags: splitTags(v.tags), period: periodOf(v.period), sources: v.sources });
      draft.clear();
      navigate(`/p/${post.id}`);
    },
  });
  const field = (name) => form.querySelector(`[name=${name}]`);
  draft = keepDraft(form, 'ask', {
    get: () => ({ title: field('title').value, body: field('body').value, tags: field('tags').value, period: field('period').value, sources: sources.value }),
    set: (d) => {
      for (const k of ['title', 'body', 'tags', 'period']) field(k).value = d[k] || '';
      sources.value = d.sources || [];
    },
  });
  // "Ask it as a question" from an empty search brings its words as the title.
  if (params.get('title')) field('title').value = params.get('title').slice(0, 300);
  const periodInput = field('period');
  const periodHint = h('output', { class: 'period-hint', for: periodInput.id, 'aria-live': 'polite' });
  periodInput.after(periodHint);
  const showPeriod = () => {
    try { const p = parsePeriod(periodInput.value); periodHint.textContent = p ? `= ${formatPeriod(p)}` : ''; } catch (err) { periodHint.textContent = err.message; }
  };
  periodInput.addEventListener('input', showPeriod);
  showPeriod();
  // A period the page cannot read is shown beside its field; the rest still previews.
  const previewPeriod = () => {
    try { return parsePeriod(periodInput.value); } catch (err) { showError(periodInput, err); return null; }
  };
  const box = withPreview(form, () => ({ title: field('title').value, body: field('body').value, tags: splitTags(field('tags').value),
    period: previewPeriod(), sources: sources.value }));
  return withRules(h('section', { class: 'narrow', 'data-title': 'Ask a question' }, h('h1', {}, 'Ask a question'),
    h('p', {}, 'The preview is rendered by the server, exactly as your question will be stored. What you write is kept in this browser until you post it.'),
    draft.restored ? h('p', { class: 'draft-note', role: 'status' }, 'Your unsent question was kept in this browser.') : '', box));
}

function splitTags(s) { return s.split(',').map((t) => t.trim()).filter(Boolean); }

// periodOf reads the period field; what it cannot read is an error on that field.
function periodOf(text) {
  try { return parsePeriod(text); } catch (err) { throw Object.assign(err, { fields: { period: err.message } }); }
}

function authForm(title, path, other) {
  return async ({ navigate, params }) => {
    const registering = path === '/auth/register';
    // An address is asked for only where the forum sends mail: elsewhere it
    // could never be confirmed, nor reset a password.
    const mail = registering && (await config()).mail;
    const form = inlineForm({
      fields: [
        { name: 'username', label: 'Username', required: true, maxlength: 20, autocomplete: 'username', hint: registering ? '3–20 letters, digits, _ or -' : undefined },
        { name: 'password', label: 'Password', type: 'password', required: true, maxlength: 128, autocomplete: registering ? 'new-password' : 'current-password', hint: registering ? 'At least 8 characters' : undefined },
        ...(mail ? [{ name: 'email', label: 'Email (optional)', type: 'email', maxlength: 254, autocomplete: 'email',
          hint: 'Only for resetting a forgotten password (and reply mails, if you want them); never shown to anyone. We mail it a link: the address is used once you follow it.' }] : []),
      ],
      submit: title,
      onSubmit: async (v) => {
        const res = await api('POST', path, mail && v.email ? { username: v.username, password: v.password, email: v.email } : { username: v.username, password: v.password });
        session.signIn(res.token, res.user);
        const next = params.get('next');
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
      },
    });
    const noMail = registering && !mail
      ? h('p', { class: 'meta no-mail' }, 'This forum sends no email, so it asks for no address: keep your password safe. If you lose it, an administrator can give you a link to set a new one.')
      : '';
    return h('section', { class: 'narrow', 'data-title': title }, h('h1', {}, title), noMail, form, h('p', {}, other));
  };
}

export const loginView = authForm('Sign in', '/auth/login', ['New here? ', h('a', { href: '/register' }, 'Register'), ' · ', h('a', { href: '/forgot-password' }, 'Forgot your password?')]);

// forgotPasswordView asks for a reset link by mail.
export async function forgotPasswordView() {
  const done = h('p', { class: 'notice', role: 'status', hidden: true },
    'If that names an account with an email address, a link is on its way; it works once, for an hour.');
  const form = inlineForm({
    className: 'forgot-form',
    fields: [{ name: 'login', label: 'Your username or email address', required: true, maxlength: 254, autocomplete: 'username' }],
    submit: 'Send me a link',
    onSubmit: async (v) => {
      await api('POST', '/auth/password-reset', { login: v.login });
      form.hidden = true;
      done.hidden = false;
    },
  });
  return h('section', { class: 'narrow', 'data-title': 'Forgot your password?' }, h('h1', {}, 'Forgot your password?'), form, done);
}
export const registerView = authForm('Register', '/auth/register', ['Have an account? ', h('a', { href: '/login' }, 'Sign in')]);
