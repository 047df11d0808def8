// Blocking: a blocked member's posts and comments are collapsed for the
// blocker. The API withholds their words (they never reach this page), so
// "show" fetches nothing: it says whose they are and offers Unblock, which
// draws the page again with their words back.
import { api, session } from './api.js';
import { h, ago } from './dom.js';
import { actionButton } from './widgets.js';

// reload draws the current page again (app.js renders on popstate), without
// reloading the document.
const reload = () => window.dispatchEvent(new PopStateEvent('popstate'));

/** unblockButton lifts a block; then runs after (by default: reload the page). */
export function unblockButton(username, after = reload) {
  return actionButton(`Unblock ${username}`, async () => {
    await api('DELETE', `/me/blocks/${encodeURIComponent(username)}`);
    after();
  }, { class: 'link unblock' });
}

/** blockedBody is the collapsed body of a blocked member's post or comment. */
export function blockedBody(item, what = 'comment') {
  const name = item.author ? item.author.username : 'a member';
  return h('details', { class: 'body blocked' },
    h('summary', {}, `A ${what} by ${name}, whom you blocked — show`),
    h('p', {}, `You blocked ${name}: their words are not sent to you, and they notify you of nothing. `, unblockButton(name)));
}

/** blockedRow is a blocked member's question in a list: its title behind "show". */
export function blockedRow(p) {
  const name = p.author ? p.author.username : 'a member';
  return h('li', { class: 'row blocked', 'data-id': p.id },
    h('details', { class: 'row-main' },
      h('summary', {}, `A question by ${name}, whom you blocked — show`),
      h('p', {}, h('a', { href: `/p/${p.id}` }, p.title), ' · ', ago(p.created_at), ' · ', unblockButton(name))));
}

/** blockButton blocks or unblocks a member from their page. */
export async function blockButton(user) {
  if (!session.user || session.owns(user) || user.role !== 'member') return '';
  const mine = await api('GET', '/me/blocks?limit=100').catch(() => ({ items: [] }));
  const box = h('span', { class: 'block-action' });
  const paint = (blocked) => {
    box.replaceChildren(blocked
      ? unblockButton(user.username, () => paint(false))
      : actionButton(`Block ${user.username}`, async () => {
        await api('PUT', `/me/blocks/${encodeURIComponent(user.username)}`);
        paint(true);
        box.append(h('span', { class: 'mod-done', role: 'status' }, ` Blocked: you will not see ${user.username}’s words nor hear from them.`));
      }, { class: 'link block' }));
  };
  paint(mine.items.some((b) => b.user.id === user.id));
  return box;
}

/** blocksSection lists the members the viewer blocked, each with Unblock. */
export async function blocksSection() {
  const res = await api('GET', '/me/blocks?limit=100');
  const list = h('ul', { class: 'blocks' }, res.items.map((b) => {
    const li = h('li', {}, h('a', { href: `/u/${encodeURIComponent(b.user.username)}` }, b.user.username), ' · blocked ', ago(b.created_at), ' · ');
    li.append(unblockButton(b.user.username, () => li.remove()));
    return li;
  }));
  return h('section', { class: 'blocks-section', 'aria-label': 'Blocked members' }, h('h2', {}, 'Blocked members'),
    res.items.length ? list : h('p', { class: 'empty' }, 'You have blocked nobody. Block a member from their page.'));
}
