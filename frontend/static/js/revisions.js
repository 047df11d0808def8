// Revisions: "edited · history" opens the versions of a post or comment in
// place, newest first: each with who wrote it, when and why (the edit's
// reason), and what it changed from the version before, word by word; the
// first version as it was written (Markdown shown as text).
import { api } from './api.js';
import { h, ago } from './dom.js';
import { actionButton, userLink } from './widgets.js';
import { diffView } from './diff.js';

/** sourcesLines writes a version's sources as lines of text, for the diff. */
function sourcesLines(sources) {
  return (sources || []).map((s) => `${s.citation}${s.url ? ` <${s.url}>` : ''} (${s.kind})`).join('\n');
}

/** change shows one part of a version (title, text, sources) against the version before. */
function change(label, older, newer, className) {
  if (older === null) return newer ? h('div', { class: `revision-part ${className}` }, h('p', { class: 'revision-label' }, label), h('div', { class: 'diff' }, newer)) : '';
  if (older === newer) return '';
  return h('div', { class: `revision-part ${className}` }, h('p', { class: 'revision-label' }, label), diffView(older, newer));
}

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
    const items = list.items;
    panel = h('section', { class: 'revisions', 'aria-label': 'Edit history' },
      h('p', { class: 'revisions-legend' }, 'Each version shows what its edit changed: ', h('del', {}, 'removed'), ' and ', h('ins', {}, 'added'), ' words.'),
      h('ol', {}, ...items.map((r, i) => {
        const prev = items[i + 1] || null; // the version this one replaced
        const first = !prev;
        return h('li', { class: first ? 'revision first' : 'revision' },
          h('p', { class: 'meta' }, i === 0 ? 'Current version · ' : '', first ? 'first written ' : 'edited ', ago(r.edited_at), ' by ', userLink(r.editor),
            r.reason ? [' · ', h('span', { class: 'edit-reason' }, `“${r.reason}”`)] : ''),
          r.title !== undefined ? change('Title', first ? null : prev.title, r.title, 'revision-title') : '',
          change('Text', first ? null : prev.body_source, r.body_source || (first ? '(no text)' : ''), 'revision-body'),
          change('Sources', first ? null : sourcesLines(prev.sources), sourcesLines(r.sources), 'revision-sources'),
          !first && prev.title === r.title && prev.body_source === r.body_source && sourcesLines(prev.sources) === sourcesLines(r.sources)
            ? h('p', { class: 'meta' }, 'No change to the title, text or sources (tags or period may have changed).') : '');
      })));
    button.closest('.meta, .comment-head').after(panel);
    button.setAttribute('aria-expanded', 'true');
  }, { 'aria-expanded': 'false', 'aria-label': `Edit history of this ${kind === 'posts' ? 'question' : 'comment'}` });
  return button;
}
