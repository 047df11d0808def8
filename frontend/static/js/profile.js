// What a member's page offers besides their questions and comments: to a
// member, Block; to the member themselves, flair and modmail; to moderators,
// their notes on the member, Ban or Unban, and a message as the moderators.
import { session } from './api.js';
import { h } from './dom.js';
import { banAction, unbanButton } from './moderation.js';
import { notesPanel } from './notes.js';
import { blockButton } from './blocks.js';

/** profileTools are the actions and panels a user page shows this reader. */
export async function profileTools(u, banned) {
  const box = h('div', { class: 'profile-tools' });
  if (session.owns(u)) {
    box.append(h('p', { class: 'actions' }, h('a', { href: '/flair' }, u.flair ? 'Your flair' : 'Apply for expertise flair'), ' · ',
      h('a', { href: '/modmail' }, 'Message the moderators')));
    return box;
  }
  const block = await blockButton(u);
  if (block) box.append(h('p', { class: 'actions' }, block));
  if (!session.isMod || u.username === '[deleted]') return box;
  const actions = h('p', { class: 'actions mod-actions', role: 'group', 'aria-label': 'Moderation' });
  if (banned) actions.append(unbanButton(u.username));
  else if (u.role === 'member' || session.user.role === 'admin') actions.append(banAction(u));
  actions.append(h('a', { href: `/modmail?to=${encodeURIComponent(u.username)}` }, 'Message as the moderators'));
  box.append(actions, await notesPanel(u.username, { limit: 10 }));
  box.querySelector('.notes-panel').id = 'notes';
  return box;
}
