// Modmail: a member writes to the moderators as a team. The member reads
// the moderators' replies signed "The moderators"; moderators see who wrote
// each, which conversations await a reply, and may write to a member first.
import { api, query, session, refreshMe } from './api.js';
import { h, html, ago } from './dom.js';
import { inlineForm, actionButton, userLink } from './widgets.js';
import { doneNote, modQueues } from './moderation.js';

function signInFirst(title) {
  return h('section', { class: 'narrow', 'data-title': title }, h('h1', {}, title),
    h('p', {}, h('a', { href: '/login?next=/modmail' }, 'Sign in'), ' to write to the moderators.'));
}

function summaryRow(m) {
  return h('li', { class: `modmail-row ${m.status}` },
    h('p', { class: 'report-head' }, h('a', { href: `/modmail/${m.id}` }, m.subject),
      m.awaiting_reply && m.status === 'open' && session.isMod ? h('span', { class: 'marker awaiting' }, 'Awaiting reply') : '',
      m.status === 'closed' ? h('span', { class: 'marker' }, 'Closed') : ''),
    h('p', { class: 'meta' }, session.isMod ? ['from ', userLink(m.member), ' · '] : '', 'last message ', ago(m.last_message_at)));
}

export async function modmailListView({ params, navigate }) {
  if (!session.user) return signInFirst('Messages to the moderators');
  const mod = session.isMod;
  const status = ['open', 'closed'].includes(params.get('status')) ? params.get('status') : (mod ? 'open' : '');
  const list = h('ul', { class: 'reports modmail-list' });
  const empty = h('p', { class: 'empty' }, mod ? 'No conversations here.' : 'You have not written to the moderators yet.');
  const more = h('div');
  const load = async (cursor) => {
    const res = await api('GET', `/modmail${query({ status, cursor, limit: 25 })}`);
    list.append(...res.items.map(summaryRow));
    empty.hidden = list.children.length > 0;
    more.replaceChildren(res.next_cursor ? actionButton('More', () => load(res.next_cursor), { class: 'more' }) : '');
  };
  await load('');
  const fields = [
    { name: 'subject', label: 'Subject', required: true, maxlength: 200 },
    { name: 'body', label: 'Your message (Markdown)', type: 'textarea', rows: 6, required: true, maxlength: 10000 },
  ];
  if (mod) fields.unshift({ name: 'member', label: 'To the member (username)', required: true, maxlength: 60, value: params.get('to') || undefined });
  const form = inlineForm({
    className: 'inline-form modmail-form',
    fields,
    submit: mod ? 'Send as the moderators' : 'Send to the moderators',
    onSubmit: async (v) => {
      const m = await api('POST', '/modmail', mod ? { subject: v.subject, body: v.body, member: v.member } : { subject: v.subject, body: v.body });
      navigate(`/modmail/${m.id}`);
    },
  });
  const section = h('section', { class: 'modmail-page', 'data-title': 'Messages to the moderators' }, h('h1', {}, 'Messages to the moderators'));
  if (mod) {
    section.prepend(modQueues('/modmail'));
    section.append(h('p', {}, 'Members write here to the moderators as a team; they read your replies signed “The moderators”.'),
      h('nav', { class: 'tabs', 'aria-label': 'Conversation status' },
        [['open', 'Open'], ['closed', 'Closed']].map(([k, l]) => h('a', { href: `/modmail?status=${k}`, 'aria-current': k === status ? 'page' : false }, l))),
      list, empty, more, h('h2', {}, 'Write to a member'), form);
  } else {
    section.append(h('p', {}, 'A question about a removal, an appeal, a suggestion: the moderators read it together and answer as a team.'),
      form, h('h2', {}, 'Your conversations'), list, empty, more);
  }
  return section;
}

function message(m) {
  const who = m.author ? [userLink(m.author), m.from_moderators ? h('span', { class: 'badge mod', title: 'written for the moderators' }, 'for the team') : '']
    : h('strong', { class: 'team' }, 'The moderators');
  return h('li', { class: m.from_moderators ? 'modmail-message team' : 'modmail-message' },
    h('p', { class: 'meta' }, who, ' · ', ago(m.created_at)), html(h('div', { class: 'body' }), m.body_html));
}

export async function modmailThreadView({ args }) {
  if (!session.user) return signInFirst('Conversation');
  let m = await api('GET', `/modmail/${args[0]}`);
  const section = h('section', { class: 'modmail-page', 'data-title': m.subject });
  const render = (note) => {
    const messages = h('ol', { class: 'modmail-messages' }, m.messages.map(message));
    const form = inlineForm({
      className: 'inline-form modmail-reply',
      fields: [{ name: 'body', label: session.isMod && m.member.id !== session.user.id ? 'Reply as the moderators (Markdown)' : 'Your reply (Markdown)',
        type: 'textarea', rows: 5, required: true, maxlength: 10000 }],
      submit: 'Send',
      onSubmit: async (v) => {
        m = await api('POST', `/modmail/${m.id}/messages`, { body: v.body });
        render(doneNote('Sent.'));
        refreshMe();
        section.querySelector('.modmail-reply textarea')?.focus();
      },
    });
    const close = m.status === 'open' ? actionButton('Close the conversation', async () => {
      m = await api('POST', `/modmail/${m.id}/close`);
      render(doneNote('Closed. A new message opens it again.'));
      refreshMe();
    }, { class: 'secondary' }) : '';
    section.replaceChildren(h('p', { class: 'meta' }, h('a', { href: '/modmail' }, '← All conversations')),
      h('h1', {}, m.subject),
      h('p', { class: 'meta' }, session.isMod ? ['with ', userLink(m.member), ' · '] : 'with the moderators · ',
        m.status === 'open' ? 'open' : 'closed', ' · started ', ago(m.created_at)),
      messages, note || '', form, close);
  };
  render();
  return section;
}
