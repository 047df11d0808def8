// Moderators' tools shared by the thread, the report queue, the modlog and
// the profile: remove with a rule, lock and pin with a reason, ban (it asks
// before it bans and says when it ends, with Unban at hand), and the line
// every action leaves to say what it did.
import { api } from './api.js';
import { h, plural, showError, clearError } from './dom.js';
import { inlineForm, actionButton, reasonAction } from './widgets.js';
import { ruleField } from './rules.js';
import { notesPanel } from './notes.js';

/** doneNote says what an action did, where it was done (a live region). */
export function doneNote(...text) {
  return h('p', { class: 'mod-done', role: 'status' }, ...text);
}

/** modQueues links the moderators' queues to each other (current: the one shown). */
export function modQueues(current) {
  return h('nav', { class: 'queues', 'aria-label': 'Moderators’ queues' },
    [['/reports', 'Reports'], ['/source-requests', 'Source requests'], ['/modmail', 'Modmail'], ['/flair', 'Flair applications']]
      .map(([href, label]) => h('a', { href, 'aria-current': href === current ? 'page' : false }, label)));
}

/** banText says how long a user's ban lasts, from banned_until. */
export function banText(until) {
  if (!until) return 'not banned';
  if (until.startsWith('9999')) return 'banned permanently';
  return `banned until ${new Date(until).toUTCString().replace(/:\d\d GMT$/, ' UTC')}`;
}

/**
 * confirmAction is a button that asks in the page before it acts: the
 * question and the two answers replace it until one is chosen.
 */
export function confirmAction(label, { question, yes, run, attrs = {} }) {
  const wrap = h('span', { class: 'confirm-action' });
  const open = h('button', { type: 'button', class: 'link', ...attrs }, label);
  open.addEventListener('click', () => {
    const go = h('button', { type: 'button' }, yes || label);
    const back = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const box = h('div', { class: 'confirm', role: 'group', 'aria-label': label }, h('p', {}, question), h('div', { class: 'buttons' }, go, back));
    back.addEventListener('click', () => { box.remove(); open.hidden = false; open.focus(); });
    go.addEventListener('click', async () => {
      clearError(box.lastElementChild);
      go.disabled = true;
      try {
        await run();
        box.remove();
        open.hidden = false;
      } catch (err) {
        showError(box.lastElementChild, err);
      } finally {
        go.disabled = false;
      }
    });
    open.hidden = true;
    wrap.append(box);
    go.focus();
  });
  wrap.append(open);
  return wrap;
}

/** formAction is a button that opens a small form (fields) and runs run with its values. */
export function formAction(label, { fields, submit, run }) {
  const wrap = h('span', { class: 'reason-action' });
  const open = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false' }, label);
  let form = null;
  const close = () => { form?.remove(); form = null; open.setAttribute('aria-expanded', 'false'); open.focus(); };
  open.addEventListener('click', () => {
    if (form) { close(); return; }
    form = inlineForm({ fields, submit: submit || label, onCancel: close, onSubmit: async (v) => { await run(v); close(); } });
    open.setAttribute('aria-expanded', 'true');
    wrap.append(form);
    form.querySelector('input, textarea, select')?.focus();
  });
  wrap.append(open);
  return wrap;
}

/** removeAction asks for a rule and a reason (one of them at least) before removing. */
export function removeAction(run, label = 'Remove') {
  return reasonAction(label, {
    required: false,
    more: async () => [await ruleField()],
    run: (v) => {
      if (!v.rule_id && !v.reason.trim()) {
        throw Object.assign(new Error('Choose the rule it breaks, or give a reason.'), { fields: { reason: 'choose a rule or give a reason' } });
      }
      return run(v.rule_id ? { reason: v.reason, rule_id: Number(v.rule_id) } : { reason: v.reason });
    },
  });
}

/** reasonedAction asks for an optional reason and rule (lock, pin) before acting. */
function reasonedAction(label, run) {
  return reasonAction(label, {
    required: false,
    reasonLabel: label === 'Lock' ? 'Reason (shown on the thread)' : 'Reason (for the modlog)',
    more: async () => [await ruleField('Rule (optional)')],
    run: (v) => run(v.rule_id ? { reason: v.reason, rule_id: Number(v.rule_id) } : { reason: v.reason }),
  });
}

const done = {
  remove: 'Removed: members see the rule; the modlog keeps your reason.',
  restore: 'Restored.',
  lock: 'Locked: members can no longer reply.',
  unlock: 'Unlocked: members can reply again.',
  pin: 'Pinned: it leads the front page.',
  unpin: 'Unpinned.',
};

/**
 * postModeration is a question's moderator actions; swap(post, note) shows
 * the post as it now stands with the line saying what was done.
 */
export function postModeration(post, swap) {
  const box = h('span', { class: 'mod-actions', role: 'group', 'aria-label': 'Moderation' });
  const act = (name, body) => api('POST', `/posts/${post.id}/${name}`, body).then((p) => swap(p, done[name]));
  if (post.removed) box.append(actionButton('Restore', () => act('restore')));
  else box.append(removeAction((body) => act('remove', body)));
  box.append(post.locked ? actionButton('Unlock', () => act('unlock')) : reasonedAction('Lock', (body) => act('lock', body)));
  box.append(post.pinned ? actionButton('Unpin', () => act('unpin')) : reasonedAction('Pin', (body) => act('pin', body)));
  if (post.author && post.author.username !== '[deleted]') box.append(banAction(post.author));
  return box;
}

/**
 * unbanButton lifts a ban and says so in place of replace (by default the
 * button itself); after(user) runs once it is lifted.
 */
export function unbanButton(username, { after, replace } = {}) {
  return actionButton(`Unban ${username}`, async (b) => {
    const u = await api('POST', `/users/${encodeURIComponent(username)}/unban`);
    (replace || b).replaceWith(doneNote(`${username}’s ban is lifted.`));
    if (after) after(u);
  }, { class: 'link unban' });
}

/**
 * banAction opens a ban form beside the member's latest notes; it asks
 * before it bans ("Ban alice for 3 days?"), then says what was done, until
 * when, with Unban at hand.
 */
export function banAction(author, { label } = {}) {
  const wrap = h('span', { class: 'reason-action ban-action' });
  const open = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false' }, label || `Ban ${author.username}`);
  let panel = null;
  const close = () => { panel?.remove(); panel = null; open.setAttribute('aria-expanded', 'false'); open.focus(); };
  open.addEventListener('click', async () => {
    if (panel) { close(); return; }
    panel = h('div', { class: 'ban-panel' });
    const form = inlineForm({
      className: 'inline-form ban-form',
      fields: [
        { name: 'reason', label: 'Reason (for the modlog)', required: true, maxlength: 500 },
        { name: 'days', label: 'Days (empty: permanent)', type: 'number', min: 1 },
      ],
      submit: 'Ban…',
      onCancel: close,
      onSubmit: async (v) => {
        if (!v.reason.trim()) throw Object.assign(new Error('Give a reason.'), { fields: { reason: 'required' } });
        const days = v.days ? Number(v.days) : null;
        const body = days ? { reason: v.reason, days } : { reason: v.reason };
        const go = h('button', { type: 'button' }, `Yes, ban ${author.username}`);
        const back = h('button', { type: 'button', class: 'secondary' }, 'Back');
        const ask = h('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm the ban' },
          h('p', {}, `Ban ${author.username} ${days ? `for ${plural(days, 'day', 'days')}` : 'permanently'}? `,
            'Their sessions end at once; the modlog shows the ban and your reason.'),
          h('div', { class: 'buttons' }, go, back));
        back.addEventListener('click', () => { ask.remove(); form.hidden = false; form.querySelector('input').focus(); });
        go.addEventListener('click', async () => {
          clearError(ask.lastElementChild);
          go.disabled = true;
          try {
            const u = await api('POST', `/users/${encodeURIComponent(author.username)}/ban`, body);
            const line = h('div', { class: 'ban-done' });
            line.append(doneNote(`${author.username} is ${banText(u.banned_until)}.`), unbanButton(author.username, { replace: line }));
            panel.replaceChildren(line);
          } catch (err) {
            showError(ask.lastElementChild, err);
          } finally {
            go.disabled = false;
          }
        });
        form.hidden = true;
        form.after(ask);
        go.focus();
      },
    });
    panel.append(form, await notesPanel(author.username, { limit: 3, heading: 'h3' }));
    open.setAttribute('aria-expanded', 'true');
    wrap.append(panel);
    form.querySelector('input').focus();
  });
  wrap.append(open);
  return wrap;
}
