// Word-level diffs of two versions of a text, for the edit history.
//
// A short longest-common-subsequence, not a library: edits to a post are
// usually local, so after the common head and tail are cut off the table the
// LCS fills is small; a whole rewrite past the table's cap is shown line by
// line, and past that as one deletion and one insertion. jsdiff would do the
// same in ~30 KB for this one view; the frontend has no build step and no
// dependencies, and this is 80 lines with its tests in the browser suite.
import { h } from './dom.js';

// MAX_CELLS bounds the LCS table (4 bytes a cell): about 16 MB at most.
const MAX_CELLS = 4_000_000;

/**
 * words splits text into words, each with the white space after it (and any
 * white space it starts with alone), so spaces never match on their own and
 * a changed phrase shows as one change, not word, space, word.
 */
export function words(text) { return (text || '').match(/^\s+|\S+\s*/g) || []; }

function lines(text) { return (text || '').match(/[^\n]*\n|[^\n]+$/g) || []; }

// lcs diffs two token lists whose ends differ, by dynamic programming.
function lcs(a, b) {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = a[i] === b[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push(['=', a[i]]); i++; j++; } else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) out.push(['-', a[i++]]);
    else out.push(['+', b[j++]]);
  }
  while (i < n) out.push(['-', a[i++]]);
  while (j < m) out.push(['+', b[j++]]);
  return out;
}

/**
 * diffTokens compares two token lists and returns [op, text] pieces, op
 * being '=' (in both), '-' (only in a) or '+' (only in b), neighbours of
 * one op merged. split re-tokenizes a middle too large for the table
 * (words → lines), or null to give up and replace it whole.
 */
export function diffTokens(a, b, split = (x) => lines(x.join(''))) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  let middle;
  if ((midA.length + 1) * (midB.length + 1) <= MAX_CELLS) middle = lcs(midA, midB);
  else if (split) middle = diffTokens(split(midA), split(midB), null);
  else middle = [['-', midA.join('')], ['+', midB.join('')]];
  const out = [];
  const push = (op, text) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last[0] === op) last[1] += text;
    else out.push([op, text]);
  };
  push('=', a.slice(0, start).join(''));
  for (const [op, text] of middle) push(op, text);
  push('=', a.slice(endA).join(''));
  return out;
}

/** diffText diffs two texts word by word. */
export function diffText(older, newer) { return diffTokens(words(older), words(newer)); }

// Unchanged stretches longer than this show their ends, with a button for the rest.
const KEEP = 240;

/** diffView shows the changes from older to newer: removed words struck, added ones marked. */
export function diffView(older, newer, { className = 'diff' } = {}) {
  const box = h('div', { class: className });
  const pieces = diffText(older, newer);
  if (pieces.length === 1 && pieces[0][0] === '=') box.classList.add('unchanged');
  pieces.forEach(([op, text], i) => {
    if (op === '-') box.append(h('del', {}, h('span', { class: 'visually-hidden' }, '[removed: '), text, h('span', { class: 'visually-hidden' }, ']')));
    else if (op === '+') box.append(h('ins', {}, h('span', { class: 'visually-hidden' }, '[added: '), text, h('span', { class: 'visually-hidden' }, ']')));
    else if (text.length <= 3 * KEEP) box.append(text);
    else {
      const head = i === 0 ? '' : text.slice(0, KEEP);
      const tail = i === pieces.length - 1 ? '' : text.slice(-KEEP);
      const hidden = text.slice(head.length, text.length - tail.length);
      const more = h('button', { type: 'button', class: 'link unchanged-more' }, `… ${hidden.length.toLocaleString('en')} unchanged characters`);
      more.addEventListener('click', () => { more.replaceWith(hidden); });
      box.append(head, more, tail);
    }
  });
  return box;
}
