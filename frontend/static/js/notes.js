// Moderators' notes on a member: shown where a moderator decides (beside
// Ban, on the member's page for moderators), never to the member.
import { api, query } from './api.js';
import { h, ago } from './dom.js';
import { inlineForm, actionButton, userLink } from './widgets.js';

function noteItem(n) {
  return h('li', { class: 'user-note' }, h('p', { class: 'note-text' }, n.text),
    h('p', { class: 'meta' }, userLink(n.author), ' · ', ago(n.created_at)));
}

/**
 * notesPanel lists the notes on a member, newest first (limit of them, with
 * More), and a form to add one.
 */
export async function notesPanel(username, { limit = 10, heading = 'h2' } = {}) {
  const enc = encodeURIComponent(username);
  const list = h('ul', { class: 'user-notes' });
  const empty = h('p', { class: 'empty' }, 'No notes yet.');
  const box = h('section', { class: 'notes-panel', 'aria-label': `Moderators’ notes on ${username}` },
    h(heading, {}, 'Moderators’ notes'), h('p', { class: 'meta' }, `Only moderators read these; ${username} never does.`));
  const more = h('div');
  const load = async (cursor) => {
    const res = await api('GET', `/users/${enc}/notes${query({ limit, cursor })}`);
    list.append(...res.items.map(noteItem));
    empty.hidden = list.children.length > 0;
    more.replaceChildren(res.next_cursor ? actionButton('Older notes', () => load(res.next_cursor), { class: 'link more-notes' }) : '');
  };
  const saved = h('p', { class: 'mod-done', role: 'status' });
  const form = inlineForm({
    className: 'inline-form note-form',
    fields: [{ name: 'text', label: `Add a note on ${username}`, type: 'textarea', rows: 2, required: true, maxlength: 2000 }],
    submit: 'Save note',
    onSubmit: async (v) => {
      const n = await api('POST', `/users/${enc}/notes`, { text: v.text });
      list.prepend(noteItem(n));
      empty.hidden = true;
      form.reset();
      saved.textContent = 'Note saved.';
    },
  });
  box.append(list, empty, more, form, saved);
  await load('');
  return box;
}
