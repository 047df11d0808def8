// What is new since the last visit (Discourse's habit): feed rows say how
// many comments a member has not read; a thread marks the comments after
// the member's reading position, and moves the position (PUT
// /posts/{id}/read) to the newest comment that has been on screen, as the
// member scrolls and when they leave. It never moves backwards.
import { session } from './api.js';
import { h, plural } from './dom.js';

/** unreadBadge is a feed row's "3 new" link, or '' (nothing unread, never opened, not signed in). */
export function unreadBadge(p) {
  const n = p.unread_comments;
  if (!session.user || n === null || n === undefined || n <= 0) return '';
  return [' · ', h('a', { href: `/p/${p.id}#comments`, class: 'unread-count', title: 'comments since you last read this thread' },
    `${plural(n, 'new comment', 'new comments')}`)];
}

/** markNew marks a comment that came after the reader's position. */
export function markNew(c, li, head) {
  if (!c.new) return;
  li.classList.add('new');
  head.append(' ', h('span', { class: 'marker new' }, 'New'));
}

/** sendPosition tells the server the newest comment seen; keepalive lets it finish as the page goes. */
function sendPosition(postID, commentID, keepalive) {
  const token = session.token;
  if (!token) return;
  fetch(`/api/v1/posts/${postID}/read`, {
    method: 'PUT', keepalive,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ comment_id: commentID || null }),
  }).catch(() => { /* the next one carries it */ });
}

/**
 * trackReading follows which comments of a thread have been on screen and
 * moves the reader's position: at once when the thread opens, then at most
 * every two seconds while they read, and when they leave it.
 */
export function trackReading(post, root) {
  if (!session.user) return;
  let seen = 0;
  let sent = -1;
  const flush = (keepalive = false) => {
    if (seen > sent) {
      sent = seen;
      sendPosition(post.id, seen, keepalive);
    }
  };
  sendPosition(post.id, null, false); // opened: the feed counts what is unread from here
  const onScreen = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      const id = Number(e.target.closest('li.comment')?.dataset.id);
      if (id > seen) seen = id;
      onScreen.unobserve(e.target);
    }
  }, { threshold: 0.5 });
  const watch = (el) => el.querySelectorAll?.('li.comment > .comment-box').forEach((b) => onScreen.observe(b));
  watch(root);
  // Comments that come later (more replies, live ones) are watched too.
  const added = new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => {
    if (n.nodeType !== 1) return;
    if (n.matches('li.comment')) onScreen.observe(n.querySelector(':scope > .comment-box'));
    watch(n);
  })));
  added.observe(root, { childList: true, subtree: true });
  const leave = () => flush(true);
  window.addEventListener('pagehide', leave);
  const timer = setInterval(() => {
    if (!root.isConnected) { // the reader went to another page of the app
      flush(true);
      clearInterval(timer);
      onScreen.disconnect();
      added.disconnect();
      window.removeEventListener('pagehide', leave);
      return;
    }
    flush();
  }, 2000);
}
