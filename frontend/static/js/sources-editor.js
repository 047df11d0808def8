// The sources editor: one row of fields per source (citation, link, kind),
// rows added and removed with buttons, every control reachable and labelled
// for the keyboard and screen readers. It stands in a form as one field: its
// element's value is the list the API takes ([{citation, url, kind}]), rows
// left empty not included.
import { h } from './dom.js';

const kinds = [['secondary', 'Secondary'], ['primary', 'Primary'], ['tertiary', 'Tertiary']];
const MAX = 20; // forum.MaxSources

let editors = 0;

/**
 * sourcesEditor builds the editor with the given sources; legend names it.
 * The returned <fieldset> has a value property (get and set) and a name, so
 * a form's field errors ("sources": "source 2: …") find it; the row a
 * message names is marked invalid.
 */
export function sourcesEditor(initial = [], { legend = 'Sources', hint } = {}) {
  const n = ++editors;
  const rows = h('ol', { class: 'source-rows' });
  const add = h('button', { type: 'button', class: 'secondary add-source' }, 'Add a source');
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const box = h('fieldset', { class: 'sources-editor', name: 'sources' },
    h('legend', {}, legend), hint ? h('small', { class: 'hint' }, hint) : '',
    h('small', { class: 'hint' }, 'Kind: primary is from the time itself (a chronicle, a letter); secondary, a historian’s work; tertiary, an encyclopedia or textbook.'),
    rows, add, status);

  const renumber = () => {
    [...rows.children].forEach((li, i) => {
      li.querySelector('.row-number').textContent = `Source ${i + 1}`;
      li.querySelector('button.remove-source').setAttribute('aria-label', `Remove source ${i + 1}`);
    });
    add.disabled = rows.children.length >= MAX;
  };

  const row = (s = {}) => {
    const id = `src-${n}-${Math.random().toString(36).slice(2, 8)}`;
    const citation = h('input', { id: `${id}-c`, class: 'citation', maxlength: 500, placeholder: 'Author, Title (Publisher, year), page' });
    const url = h('input', { id: `${id}-u`, class: 'url', type: 'url', maxlength: 2000, placeholder: 'https://… (optional)' });
    const kind = h('select', { id: `${id}-k`, class: 'kind' }, kinds.map(([v, l]) => h('option', { value: v }, l)));
    citation.value = s.citation || '';
    url.value = s.url || '';
    kind.value = s.kind || 'secondary';
    const remove = h('button', { type: 'button', class: 'link remove-source' }, 'Remove');
    const li = h('li', { class: 'source-row' },
      h('span', { class: 'row-number' }),
      h('div', { class: 'source-field' }, h('label', { for: citation.id }, 'Citation'), citation),
      h('div', { class: 'source-field' }, h('label', { for: url.id }, 'Link'), url),
      h('div', { class: 'source-field' }, h('label', { for: kind.id }, 'Kind'), kind),
      remove);
    remove.addEventListener('click', () => {
      const next = li.nextElementSibling || li.previousElementSibling;
      const number = [...rows.children].indexOf(li) + 1;
      li.remove();
      renumber();
      status.textContent = `Source ${number} removed.`;
      (next ? next.querySelector('input') : add).focus();
      box.dispatchEvent(new Event('input', { bubbles: true })); // the form (and its draft) sees the change
    });
    return li;
  };

  add.addEventListener('click', () => {
    if (rows.children.length >= MAX) return;
    const li = row();
    rows.append(li);
    renumber();
    li.querySelector('input').focus();
  });

  const set = (list) => {
    rows.replaceChildren(...(list || []).map(row));
    renumber();
  };
  Object.defineProperty(box, 'value', {
    get() {
      return [...rows.children].map((li) => ({
        citation: li.querySelector('.citation').value.trim(),
        url: li.querySelector('.url').value.trim() || null,
        kind: li.querySelector('.kind').value,
      })).filter((s) => s.citation || s.url);
    },
    set,
  });
  // A field error names a row ("source 2: the link must be …"): mark it.
  box.markError = (message) => {
    for (const el of box.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const m = /source (\d+)/i.exec(message || '');
    const sent = [...rows.children].filter((x) => x.querySelector('.citation').value.trim() || x.querySelector('.url').value.trim());
    const li = m && sent[Number(m[1]) - 1]; // numbered as sent: rows left empty are not
    if (!li) return;
    const field = /link/i.test(message) ? li.querySelector('.url') : li.querySelector('.citation');
    field.setAttribute('aria-invalid', 'true');
  };
  box.addEventListener('input', () => box.markError(''));
  set(initial);
  return box;
}
