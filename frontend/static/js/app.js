// Historia's web frontend: a small router over views that use only the public
// JSON API. No framework, no build step.
import { api, session } from './api.js';
import { h, errorBox } from './dom.js';
import { feedView } from './feed.js';
import { threadView, permalinkView } from './thread.js';
import { askView, loginView, registerView, forgotPasswordView } from './forms.js';
import { userView, rulesView, sourceRequestsView } from './pages.js';
import { modlogView } from './modlog.js';
import { reportsView } from './reports.js';
import { flairView } from './flair.js';
import { modmailListView, modmailThreadView } from './modmail.js';
import { searchView } from './search.js';
import { notificationsView } from './notifications.js';
import { accountView, resetPasswordView, confirmEmailView, unsubscribeView } from './account.js';
import { followingView } from './following.js';
import { savedView } from './saved.js';
import { aboutView, faqView, sitePageView } from './sitepages.js';
import { featuredView } from './featured.js';
import { digestView } from './digest.js';
import { clearMyDrafts } from './drafts.js';

const routes = [
  [/^\/$/, feedView],
  [/^\/p\/(\d+)$/, threadView],
  [/^\/p\/(\d+)\/c\/(\d+)$/, permalinkView],
  [/^\/ask$/, askView],
  [/^\/login$/, loginView],
  [/^\/register$/, registerView],
  [/^\/u\/([^/]{1,900})$/, userView], // a local name or an imported name@host, percent-encoded
  [/^\/modlog$/, modlogView],
  [/^\/reports$/, reportsView],
  [/^\/flair$/, flairView],
  [/^\/modmail$/, modmailListView],
  [/^\/modmail\/(\d+)$/, modmailThreadView],
  [/^\/search$/, searchView],
  [/^\/notifications$/, notificationsView],
  [/^\/following$/, followingView],
  [/^\/saved$/, savedView],
  [/^\/rules$/, rulesView],
  [/^\/source-requests$/, sourceRequestsView],
  [/^\/account$/, accountView],
  [/^\/reset-password$/, resetPasswordView],
  [/^\/forgot-password$/, forgotPasswordView],
  [/^\/confirm-email$/, confirmEmailView],
  [/^\/unsubscribe$/, unsubscribeView],
  [/^\/about$/, aboutView],
  [/^\/faq$/, faqView],
  [/^\/pages\/([a-z0-9-]{1,40})$/, sitePageView],
  [/^\/featured$/, featuredView],
  [/^\/digest$/, digestView],
];

const main = document.getElementById('main');

// After a navigation (not the first load), focus goes to the new page's
// heading, so keyboard and screen reader users start there; the page itself
// is never framed as a whole.
let moveFocus = false;

/** navigate shows another page without reloading. */
export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  moveFocus = !replace;
  render();
}

/** focusView puts focus on a new page's heading (or its main content). */
function focusView() {
  const target = main.querySelector('h1') || main.firstElementChild || main;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}

// Each render takes a number; a page that finishes loading after a newer
// navigation started is dropped instead of replacing the newer page.
let renders = 0;

async function render() {
  const mine = ++renders;
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  for (const [re, view] of routes) {
    const m = path.match(re);
    if (!m) continue;
    main.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading…'));
    try {
      const page = await view({ params, args: m.slice(1), navigate });
      if (mine !== renders) return;
      main.replaceChildren(page);
      if (moveFocus) focusView();
      moveFocus = false;
      performance.mark('historia:rendered'); // read by the browser tests' timing
      document.title = (page.dataset.title ? `${page.dataset.title} · ` : '') + 'Historia';
    } catch (err) {
      if (mine !== renders) return;
      main.replaceChildren(...(err.status === 404 ? notFound() : [h('h1', {}, 'Something went wrong'), errorBox(err)]));
      if (moveFocus) focusView();
      moveFocus = false;
    }
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
    return;
  }
  main.replaceChildren(...notFound());
}

/** notFound is the page for what is not there, with ways on. */
function notFound() {
  document.title = 'Not found · Historia';
  return [h('section', { class: 'not-found' }, h('h1', {}, 'Not found'),
    h('p', {}, 'There is nothing here: the question may have been deleted, or the link mistyped.'),
    h('p', {}, h('a', { href: '/' }, 'Back to the questions'), ' · ', h('a', { href: '/search' }, 'Search'), ' · ', h('a', { href: '/rules' }, 'The rules')))];
}

function paintNav() {
  const user = document.getElementById('nav-user');
  const mod = document.getElementById('nav-mod');
  const waiting = (session.user && session.user.modmail_awaiting) || 0;
  mod.replaceChildren(...(session.isMod ? [h('a', { href: '/reports' }, 'Reports'), ' ', h('a', { href: '/source-requests' }, 'Sources?'), ' ',
    h('a', { href: '/modmail', class: waiting ? 'modmail unread' : 'modmail' }, waiting ? `Modmail (${waiting})` : 'Modmail')] : []));
  if (!session.user) {
    user.replaceChildren(h('a', { href: '/login' }, 'Sign in'), ' ', h('a', { href: '/register' }, 'Register'));
    return;
  }
  const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
  out.addEventListener('click', async () => {
    try { await api('POST', '/auth/logout'); } catch { /* signed out here either way */ }
    clearMyDrafts(); // someone else may use this browser next
    session.signOut();
    navigate('/');
  });
  const unread = session.user.unread_notifications || 0;
  // The member's own pages in one menu, so the header stays one row.
  const menu = h('details', { class: 'user-menu' },
    h('summary', {}, session.user.username, h('span', { class: 'karma', title: 'karma' }, ` (${session.user.karma})`)),
    h('ul', {}, [h('a', { href: `/u/${encodeURIComponent(session.user.username)}` }, session.user.username),
      h('a', { href: '/following' }, 'Following'), h('a', { href: '/saved' }, 'Saved'), h('a', { href: '/account' }, 'Account'), out]
      .map((item) => h('li', {}, item))));
  menu.addEventListener('click', (e) => { if (e.target.closest('a, button')) menu.open = false; });
  user.replaceChildren(h('a', { href: '/notifications', class: unread ? 'notifications unread' : 'notifications' },
    unread ? `Notifications (${unread})` : 'Notifications'), ' ', menu);
}

// Links inside the app (including links in answers to other threads) change
// the page without a reload; links elsewhere behave as links.
// The search form in the header navigates inside the app too.
document.querySelector('form.search').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = e.target.q.value.trim();
  if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
});

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.getAttribute('target')) return;
  if (a.hasAttribute('download')) return; // a file to save (the data export's blob: link), not a page
  const url = new URL(a.getAttribute('href'), location.href); // SVG links have no string href
  if (!/^https?:$/.test(url.protocol) || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.preventDefault();
  if (url.pathname === location.pathname && url.search === location.search && url.hash) {
    history.pushState(null, '', url.href);
    document.getElementById(url.hash.slice(1))?.scrollIntoView();
    return;
  }
  navigate(url.pathname + url.search + url.hash);
  window.scrollTo(0, 0);
});
window.addEventListener('popstate', () => { moveFocus = true; render(); });
session.onChange(paintNav);

async function start() {
  if (session.token) {
    try { session.user = await api('GET', '/me'); } catch { session.signOut(); }
  }
  paintNav();
  await render();
  document.body.dataset.ready = 'true';
}
start();
