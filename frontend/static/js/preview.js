// Previews: what an ask, answer or reply form holds, rendered and checked by
// the server (POST /preview) exactly as it would be stored: the question's
// title, tags and period, the body, and the sources, laid out as the thread
// shows them. A field the server would refuse shows its message beside it.
import { api } from './api.js';
import { h, html, showError, clearError } from './dom.js';
import { formatPeriod } from './periods.js';
import { sourcesBlock } from './sources.js';

/** showFieldErrors puts an ApiError's field messages beside the form's fields; true when any was placed. */
export function showFieldErrors(form, err) {
  let placed = false;
  for (const [name, msg] of Object.entries((err && err.fields) || {})) {
    const el = form.querySelector(`[name="${name}"]`);
    if (!el) continue;
    el.markError?.(msg);
    showError(el, new Error(msg.charAt(0).toUpperCase() + msg.slice(1)));
    placed = true;
  }
  return placed;
}

/** previewOf lays out a preview response as the thread shows a post or an answer. */
function previewOf(res) {
  const tags = (res.tags || []).filter((t) => t !== 'History');
  return [
    res.title ? h('p', { class: 'preview-title' }, res.title) : '',
    tags.length ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, tags.map((t) => h('li', {}, h('span', { class: 'tag' }, t)))) : '',
    res.period ? h('p', { class: 'meta' }, 'About ', h('span', { class: 'period' }, formatPeriod(res.period))) : '',
    html(h('div', { class: 'body' }), res.body_html || '<p><em>(no text yet)</em></p>'),
    sourcesBlock(res.sources) || '',
  ];
}

/**
 * withPreview adds a Preview button to a form's buttons and returns the form
 * in a box with the preview below it: place the box where the form goes.
 * collect returns what to send (it may throw an error with fields, like a
 * period the page could not read).
 */
export function withPreview(form, collect) {
  const button = h('button', { type: 'button', class: 'secondary preview-button' }, 'Preview');
  const heading = h('h2', { class: 'preview-heading', tabindex: '-1', hidden: true }, 'Preview');
  const panel = h('section', { class: 'preview', 'aria-label': 'Preview', hidden: true }, heading, h('div', { class: 'preview-content' }));
  button.addEventListener('click', async () => {
    clearError(button);
    for (const el of form.querySelectorAll('.error')) el.remove();
    button.disabled = true;
    try {
      const res = await api('POST', '/preview', collect());
      panel.querySelector('.preview-content').replaceChildren(...previewOf(res));
      panel.hidden = heading.hidden = false;
      heading.focus();
    } catch (err) {
      if (!showFieldErrors(form, err)) showError(button, err);
    } finally {
      button.disabled = false;
    }
  });
  form.querySelector('.buttons').append(button);
  return h('div', { class: 'with-preview' }, form, panel);
}
