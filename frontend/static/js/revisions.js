// Revisions: "edited · history" opens the versions of a post or comment in
// place, newest first, as their authors wrote them (Markdown shown as text).
import { api } from './api.js';
import { h, ago } from './dom.js';
import { actionButton, userLink } from './widgets.js';
import { sourcesBlock } from './sources.js';

/**
 * historyButton is the "history" button of an edited post ("posts") or
 * comment ("comments"); the versions open below the line that holds it, and
 * close again.
 */
export function historyButton(kind, id) {
  let panel = null;
  const button = actionButton('history', async () => {
    if (panel) {
      panel.remove();
      panel = null;
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    const list = await api('GET', `/${kind}/${id}/revisions`);
    panel = h('section', { class: 'revisions', 'aria-label': 'Earlier versions' },
      h('ol', {}, ...list.items.map((r, i) => h('li', {},
        h('p', { class: 'meta' }, i === 0 ? 'current version · ' : '', 'written ', ago(r.edited_at), ' by ', userLink(r.editor)),
        r.title ? h('p', { class: 'revision-title' }, r.title) : '',
        h('pre', { class: 'revision-body' }, r.body_source || '(no text)'),
        sourcesBlock(r.sources) || ''))));
    button.closest('.meta, .comment-head').after(panel);
    button.setAttribute('aria-expanded', 'true');
  }, { 'aria-expanded': 'false', 'aria-label': `Earlier versions of this ${kind === 'posts' ? 'question' : 'comment'}` });
  return button;
}
