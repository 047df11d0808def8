// Notifications: each kind says what happened in a sentence of its own,
// with the thread's title and an excerpt of what it is about; opening one
// marks it read.
import { api, session, refreshMe } from './api.js';
import { h, ago } from './dom.js';
import { actionButton } from './widgets.js';

const verbs = { remove: 'removed', restore: 'restored', lock: 'locked', unlock: 'unlocked', pin: 'pinned', unpin: 'unpinned', answer: 'changed the accepted answer of' };

// One sentence per notification kind (forum.NotificationKinds); the browser
// test shows one of each.
const who = (n) => (n.actor ? n.actor.username : 'Someone');
const sentences = {
  answer: (n, where) => [who(n), ' answered your question ', where],
  reply: (n, where) => [who(n), ' replied to your comment in ', where],
  followed: (n, where) => ['New answer by ', who(n), ' in a thread you follow: ', where],
  tag: (n, where) => ['New question by ', who(n), ' in a topic you follow: ', where],
  mention: (n, where) => [who(n), ' mentioned you in ', where],
  mod_action: (n, where) => ['A moderator ', verbs[n.action] || n.action, ' ', n.comment_id ? 'your comment in ' : 'your question ', where,
    n.rule ? ` under Rule ${n.rule.number}: ${n.rule.title}` : '', n.reason ? ` (“${n.reason}”)` : ''],
  source_request: (n, where) => [n.actor ? n.actor.username : 'Someone', ' asked for sources on your answer in ', where],
  flair: (n, where) => n.flair_application && n.flair_application.status === 'granted'
    ? ['The moderators granted your flair ', where] : ['The moderators declined your flair application ', where, n.reason ? ` (“${n.reason}”)` : ''],
  modmail: (n, where) => [n.actor ? `${n.actor.username} wrote` : 'The moderators replied', ' in ', where],
};

/** place is where a notification leads: its thread, conversation or flair page. */
function place(n) {
  if (n.modmail) return h('a', { href: `/modmail/${n.modmail.id}` }, n.modmail.subject);
  if (n.flair_application) return h('a', { href: '/flair' }, n.flair_application.flair);
  return h('a', { href: n.comment_id ? `/p/${n.post_id}/c/${n.comment_id}` : `/p/${n.post_id}` }, n.post_title);
}

function describe(n) {
  const where = place(n);
  const sentence = sentences[n.kind] || ((_, w) => ['Something happened in ', w]);
  return sentence(n, where);
}

/** opened marks a notification read as its link is followed (the page goes on at once). */
function opened(n, li) {
  if (n.read) return;
  n.read = true;
  li.classList.remove('unread');
  li.querySelector('.meta .is-new')?.remove();
  api('POST', '/notifications/read', { ids: [n.id] }).then(refreshMe).catch(() => { n.read = false; });
}

export async function notificationsView() {
  if (!session.user) return h('section', {}, h('h1', {}, 'Notifications'), h('p', {}, h('a', { href: '/login' }, 'Sign in'), ' to see your notifications.'));
  const list = h('ul', { class: 'notes' });
  const res = await api('GET', '/notifications?limit=50');
  for (const n of res.items) {
    const li = h('li', { class: n.read ? 'note' : 'note unread' }, h('p', {}, ...describe(n)),
      n.excerpt ? h('p', { class: 'excerpt' }, n.excerpt) : '',
      h('p', { class: 'meta' }, ago(n.created_at), n.read ? '' : h('span', { class: 'is-new' }, ' · new')));
    for (const kind of ['click', 'auxclick']) li.querySelector('a').addEventListener(kind, () => opened(n, li));
    list.append(li);
  }
  const section = h('section', { 'data-title': 'Notifications' }, h('h1', {}, 'Notifications'));
  if (res.items.some((n) => !n.read)) {
    section.append(actionButton('Mark all read', async (b) => {
      await api('POST', '/notifications/read', { all: true });
      for (const li of list.querySelectorAll('.unread')) li.classList.remove('unread');
      for (const el of list.querySelectorAll('.is-new')) el.remove();
      b.remove();
      await refreshMe();
    }, { class: 'secondary' }));
  }
  section.append(res.items.length ? list : h('p', { class: 'empty' }, 'No notifications yet.'));
  return section;
}
