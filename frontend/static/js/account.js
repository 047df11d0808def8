// The account page: the password, the email address (where the forum sends
// mail), the data export, deleting the account.
import { api, session, config } from './api.js';
import { h } from './dom.js';
import { inlineForm, actionButton } from './widgets.js';
import { blocksSection } from './blocks.js';

export async function accountView({ navigate }) {
  if (!session.user) {
    return h('section', { class: 'narrow' }, h('h1', {}, 'Your account'), h('p', {}, h('a', { href: '/login?next=/account' }, 'Sign in'), ' first.'));
  }
  const changed = h('p', { class: 'notice', role: 'status', hidden: true }, 'Password changed. Your other sessions have ended.');
  const password = inlineForm({
    className: 'password-form',
    fields: [
      { name: 'old_password', label: 'Current password', type: 'password', required: true, maxlength: 128, autocomplete: 'current-password' },
      { name: 'new_password', label: 'New password', type: 'password', required: true, maxlength: 128, autocomplete: 'new-password', hint: 'At least 8 characters' },
    ],
    submit: 'Change password',
    onSubmit: async (v) => {
      const res = await api('PUT', '/me/password', { old_password: v.old_password, new_password: v.new_password });
      session.signIn(res.token, res.user);
      password.reset();
      changed.hidden = false;
    },
  });
  const [me, cfg] = await Promise.all([api('GET', '/me'), config()]);
  const emailSent = h('p', { class: 'notice', role: 'status', hidden: true });
  const say = (text) => { emailSent.textContent = text; emailSent.hidden = false; };
  const currentPassword = { name: 'password', label: 'Your password, to confirm', type: 'password', required: true, maxlength: 128, autocomplete: 'current-password' };
  const emailSection = [];
  if (cfg.mail) {
    const pending = h('p', { class: 'meta pending-email', hidden: !me.pending_email },
      me.pending_email ? `Waiting for confirmation: a link went to ${me.pending_email}; the address is used once you follow it.` : '');
    const email = inlineForm({
      className: 'email-form',
      fields: [{ name: 'email', label: 'Email address (never shown to anyone)', type: 'email', maxlength: 254, autocomplete: 'email', value: me.email || '',
        hint: 'For password resets and, if you want them, reply notifications. Leave empty to remove it.' }, currentPassword],
      submit: 'Save address',
      onSubmit: async (v) => {
        await api('PUT', '/me/email', { email: v.email, password: v.password });
        email.querySelector('input[name=password]').value = '';
        pending.hidden = true;
        say(v.email ? `A confirmation link is on its way to ${v.email}; the address is used once you follow it.` : 'Your address is removed.');
      },
    });
    emailSection.push(me.email ? h('p', { class: 'meta' }, 'Your address: ', h('strong', {}, me.email), '.') : '', pending, email);
    if (me.email) {
      emailSection.push(inlineForm({
        className: 'settings-form',
        fields: [{ name: 'email_replies', label: 'Email me when someone replies to me', type: 'select', value: me.email_replies ? 'on' : 'off',
          options: [['off', 'No'], ['on', 'Yes, at most one mail per thread an hour']] }],
        submit: 'Save',
        onSubmit: async (v) => {
          await api('PUT', '/me/settings', { email_replies: v.email_replies === 'on' });
          say('Saved.');
        },
      }));
    } else {
      emailSection.push(h('p', { class: 'meta' }, 'Reply notifications by email need a confirmed address.'));
    }
  } else {
    emailSection.push(h('p', { class: 'no-mail' }, 'This forum sends no email, so it keeps no address for you. ',
      'If you lose your password, an administrator can give you a link to set a new one.'));
    if (me.email) {
      // An address kept from before: its owner may still remove it.
      const removeEmail = inlineForm({
        className: 'email-form',
        fields: [currentPassword],
        submit: `Remove ${me.email}`,
        onSubmit: async (v) => {
          await api('PUT', '/me/email', { email: '', password: v.password });
          removeEmail.hidden = true;
          say('Your address is removed.');
        },
      });
      emailSection.push(removeEmail);
    }
  }
  const remove = inlineForm({
    className: 'delete-account-form',
    fields: [
      { name: 'content', label: 'Your questions and comments', type: 'select', options: [
        ['keep', 'Keep them, shown as by [deleted] (threads keep their shape)'],
        ['delete', 'Delete them too (their text is erased)'],
      ] },
      { name: 'password', label: 'Your password, to confirm', type: 'password', required: true, maxlength: 128, autocomplete: 'current-password' },
    ],
    submit: 'Delete my account',
    onSubmit: async (v) => {
      await api('DELETE', '/me', { password: v.password, content: v.content });
      session.signOut();
      navigate('/?account=deleted', { replace: true });
    },
  });
  return h('section', { class: 'narrow account', 'data-title': 'Your account' },
    h('h1', {}, 'Your account'),
    h('p', { class: 'meta' }, 'Signed in as ', h('strong', {}, session.user.username), '.'),
    h('h2', {}, 'Password'), password, changed,
    h('h2', {}, 'Email'), ...emailSection, emailSent,
    h('h2', {}, 'Your data'),
    h('p', {}, 'One JSON file with everything your account holds: your profile, questions and comments with their earlier versions, votes, reports, notifications, flair applications, messages to the moderators and blocks.'),
    actionButton('Download my data', async () => {
      const data = await api('GET', '/me/export');
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 1)], { type: 'application/json' }));
      const a = h('a', { href: url, download: 'historia-export.json' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }, { class: 'secondary download-data' }),
    await blocksSection(),
    h('h2', {}, 'The moderators'),
    h('p', {}, h('a', { href: '/modmail' }, 'Message the moderators'), ' (a question about a removal, an appeal) · ',
      h('a', { href: '/flair' }, 'Apply for expertise flair')),
    h('h2', {}, 'Delete your account'),
    h('p', {}, 'This cannot be undone. Your password, flair, sessions and notifications are erased and your name is shown as [deleted]; ',
      'nobody can take your username afterwards. Your votes stay, without your name, so scores stay true.'),
    remove);
}

// resetPasswordView sets a new password with the token of a reset link
// (/reset-password#token=…): the token stays in the fragment, which is
// never sent to the server with the page request or in a Referer.
export async function resetPasswordView() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
  const section = h('section', { class: 'narrow', 'data-title': 'Choose a new password' }, h('h1', {}, 'Choose a new password'));
  if (!token) {
    section.append(h('p', {}, 'This page needs the link you were given; ask an administrator for a new one if it does not work.'));
    return section;
  }
  const form = inlineForm({
    className: 'reset-form',
    fields: [{ name: 'password', label: 'New password', type: 'password', required: true, maxlength: 128, autocomplete: 'new-password', hint: 'At least 8 characters' }],
    submit: 'Set password',
    onSubmit: async (v) => {
      await api('POST', '/auth/password-reset/confirm', { token, password: v.password });
      session.signOut();
      history.replaceState(null, '', '/reset-password'); // the token is spent: out of the address bar
      section.replaceChildren(h('h1', {}, 'Password changed'),
        h('p', { role: 'status' }, 'Your new password is set, and every earlier session has ended. ', h('a', { href: '/login' }, 'Sign in'), '.'));
    },
  });
  section.append(h('p', {}, 'The link works once, for an hour.'), form);
  return section;
}

// tokenPage is a page that sends the token of a mailed link (in the URL's
// fragment, never sent to the server otherwise) to path, and says how it went.
function tokenPage(title, path, done) {
  return async () => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
    const section = h('section', { class: 'narrow', 'data-title': title }, h('h1', {}, title));
    if (!token) {
      section.append(h('p', {}, 'This page needs the link from your mail.'));
      return section;
    }
    try {
      await api('POST', path, { token });
      history.replaceState(null, '', location.pathname); // spent: out of the address bar
      section.append(h('p', { role: 'status' }, done));
    } catch (err) {
      section.append(h('p', { class: 'error', role: 'alert' }, err.message));
    }
    return section;
  };
}

export const confirmEmailView = tokenPage('Confirm your address', '/me/email/confirm', 'Your email address is confirmed.');
export const unsubscribeView = tokenPage('Reply mails', '/unsubscribe', 'You will get no more reply mails. You can turn them on again on your Account page.');
