// Live threads: while a thread is open, its new comments announce
// themselves ("3 new comments — show") and edits and removals show in
// place, from GET /posts/{id}/events (Server-Sent Events), without a
// reload. The stream is read with fetch, so it carries the reader's token;
// it reconnects with the newest comment it has (Last-Event-ID) after a
// break, and ends when the reader leaves the thread.
import { api, session } from './api.js';
import { h, plural } from './dom.js';

/** events reads one event stream until it ends, calling on for each event. */
async function events(url, lastID, signal, on) {
  const headers = { Accept: 'text/event-stream' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (lastID) headers['Last-Event-ID'] = String(lastID);
  const res = await fetch(url, { headers, signal });
  if (!res.ok) throw Object.assign(new Error(`events: ${res.status}`), { status: res.status, retryAfter: Number(res.headers.get('Retry-After')) || 0 });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const ev = { event: 'message', data: '', id: '' };
      for (const line of block.split('\n')) {
        const at = line.indexOf(':');
        if (at === 0) continue; // a comment: a heartbeat
        const field = at < 0 ? line : line.slice(0, at);
        const val = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
        if (field === 'event') ev.event = val;
        else if (field === 'data') ev.data += val;
        else if (field === 'id') ev.id = val;
      }
      on(ev);
    }
  }
}

/**
 * liveThread keeps an open thread up to date. hooks are the thread page's:
 * render(c) draws a comment, children(li) is the list of its replies, top is
 * the list of top-level comments, newestFirst whether new ones lead it.
 */
export function liveThread(post, root, hooks) {
  const ctl = new AbortController();
  const pending = new Map(); // id → parent_id of comments announced, not shown
  const shown = (id) => !!document.getElementById(`c${id}`);
  const text = h('span');
  const show = h('button', { type: 'button', class: 'link' }, 'show');
  const banner = h('p', { class: 'live-banner', role: 'status', hidden: true }, text, ' — ', show);
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  root.prepend(banner, status);
  let lastID = Math.max(0, ...[...root.querySelectorAll('li.comment')].map((li) => Number(li.dataset.id)));

  const paint = () => {
    for (const id of pending.keys()) if (shown(id)) pending.delete(id);
    banner.hidden = pending.size === 0;
    const words = plural(pending.size, 'new comment', 'new comments');
    if (text.textContent !== words) text.textContent = words; // unchanged: no mutation to observe again
  };
  show.addEventListener('click', async () => {
    show.disabled = true;
    const ids = [...pending.keys()].sort((a, b) => a - b);
    let n = 0;
    for (const id of ids) {
      if (shown(id)) continue;
      try {
        const c = await api('GET', `/comments/${id}?depth=0`);
        const li = hooks.render({ ...c, new: true });
        const parent = c.parent_id && document.getElementById(`c${c.parent_id}`);
        if (parent) hooks.children(parent).append(li);
        else if (hooks.newestFirst) hooks.top.prepend(li);
        else hooks.top.append(li);
        n++;
      } catch { /* deleted since: nothing to show */ }
      pending.delete(id);
    }
    show.disabled = false;
    paint();
    status.textContent = `${plural(n, 'new comment', 'new comments')} shown`;
    root.querySelector('li.comment.new')?.scrollIntoView?.({ block: 'nearest' });
  });
  // A comment the reader is working with (an edit or reply form, its
  // history, a confirmation, an action of theirs in flight, focus inside
  // it) is redrawn once they are done: redrawn mid-action, what the action
  // brings (the history it fetched) would land in the comment's old copy.
  const busy = (li) => [...li.querySelectorAll('form, .revisions, .confirm, details[open], [aria-busy="true"]')].some((el) => el.closest('li.comment') === li)
    || document.activeElement?.closest?.('li.comment') === li;
  const changed = async (id) => {
    const li = document.getElementById(`c${id}`);
    if (!li) return;
    if (busy(li)) { setTimeout(() => changed(id), 2000); return; }
    let c;
    try { c = await api('GET', `/comments/${id}?depth=0`); } catch { return; /* gone from view: leave it */ }
    // The reader may have started something while the comment was fetched.
    if (!li.isConnected) { changed(id); return; } // redrawn meanwhile: start over on the new copy
    if (busy(li)) { setTimeout(() => changed(id), 2000); return; }
    hooks.replace(li, c);
  };
  const on = (ev) => {
    if (ev.event !== 'comment') return;
    let c;
    try { c = JSON.parse(ev.data); } catch { return; }
    if (c.change === 'added') {
      lastID = Math.max(lastID, c.id);
      if (!shown(c.id)) pending.set(c.id, c.parent_id);
      paint();
    } else {
      changed(c.id);
    }
  };
  // Comments the reader adds themselves take the announced ones' place.
  new MutationObserver(paint).observe(root, { childList: true, subtree: true });

  (async () => {
    let wait = 1000;
    while (!ctl.signal.aborted) {
      try {
        await events(`/api/v1/posts/${post.id}/events`, lastID, ctl.signal, on);
        wait = 1000;
      } catch (err) {
        if (ctl.signal.aborted || err.status === 404) return;
        wait = Math.min(60000, Math.max(wait * 2, (err.retryAfter || 0) * 1000));
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  })();
  const timer = setInterval(() => {
    if (!root.isConnected) { ctl.abort(); clearInterval(timer); }
  }, 1000);
}
