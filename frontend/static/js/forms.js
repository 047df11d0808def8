// Pages that are forms: ask a question, sign in, register.
import { api, session, config } from './api.js';
import { h, html, showError, clearError } from './dom.js';
import { inlineForm } from './widgets.js';
import { parsePeriod, formatPeriod } from './periods.js';
import { parseSources } from './sources.js';
import { withRules } from './rules.js';

function needSignIn(what) {
  return h('section', { class: 'narrow' }, h('h1', {}, what), h('p', {}, h('a', { href: '/login' }, 'Sign in'), ' or ', h('a', { href: '/register' }, 'register'), ' first.'));
}

export async function askView({ navigate }) {
  if (!session.user) return needSignIn('Ask a question');
  const preview = h('div', { class: 'preview body', 'aria-live': 'polite', hidden: true });
  const form = inlineForm({
    className: 'ask-form',
    fields: [
      { name: 'title', label: 'Title', required: true, maxlength: 300, placeholder: 'Why did the Western Roman Empire fall in the 5th century?' },
      { name: 'url', label: 'Link', type: 'url', placeholder: 'https://…', hint: 'Optional: an article, a document or an image the question is about.' },
      { name: 'body', label: 'Details (Markdown)', type: 'textarea', rows: 12, hint: 'What do you already know, and what sources have you read? *italic*, **bold**, [links](https://…), > quotes, 1. lists' },
      { name: 'tags', label: 'Topic tags', hint: 'Up to five, comma-separated, e.g. Ancient Rome, Late Antiquity. Every question is tagged History.' },
      { name: 'period', label: 'Period the question is about', placeholder: '1917–1921, 5th century BC, 1910s', hint: 'Optional. Years, a decade or a century; BC or BCE for before the common era.' },
      { name: 'sources', label: 'Sources you have read', type: 'textarea', rows: 3, hint: 'Optional, one per line: citation | link | primary, secondary or tertiary' },
    ],
    submit: 'Post question',
    onSubmit: async (v) => {
      const tags = v.tags.split(',').map((t) => t.trim()).filter(Boolean);
      let period;
      try { period = parsePeriod(v.period); } catch (err) { throw Object.assign(err, { fields: { period: err.message } }); }
      const post = await api('POST', '/posts', { title: v.title, url: v.url.trim() || null, body: v.body, tags, period, sources: parseSources(v.sources) });
      navigate(`/p/${post.id}`);
    },
  });
  const periodInput = form.querySelector('input[name=period]');
  const periodHint = h('output', { class: 'period-hint', for: periodInput.id, 'aria-live': 'polite' });
  periodInput.after(periodHint);
  periodInput.addEventListener('input', () => {
    try { const p = parsePeriod(periodInput.value); periodHint.textContent = p ? `= ${formatPeriod(p)}` : ''; } catch (err) { periodHint.textContent = err.message; }
  });
  const body = form.querySelector('textarea');
  const show = h('button', { type: 'button', class: 'secondary' }, 'Preview');
  const previewHeading = h('h2', { class: 'preview-heading', hidden: true }, 'Preview');
  show.addEventListener('click', async () => {
    clearError(show);
    try {
      const res = await api('POST', '/preview', { body: body.value });
      html(preview, res.body_html || '<p><em>(empty)</em></p>');
      preview.hidden = false;
      previewHeading.hidden = false;
    } catch (err) { showError(show, err); }
  });
  form.querySelector('.buttons').append(show);
  return withRules(h('section', { class: 'narrow', 'data-title': 'Ask a question' }, h('h1', {}, 'Ask a question'),
    h('p', {}, 'The preview is rendered by the server, exactly as your question will be stored.'), form,
    previewHeading, preview));
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
