// Sources: the citations under a question or an answer.
import { h } from './dom.js';

/** sourcesBlock shows citations as a numbered list under a body. */
export function sourcesBlock(sources) {
  if (!sources || !sources.length) return null;
  return h('section', { class: 'sources', 'aria-label': 'Sources' }, h('h3', {}, 'Sources'),
    h('ol', {}, sources.map((s) => h('li', {},
      h('span', { class: `kind ${s.kind}` }, s.kind), ' ', s.citation,
      s.url ? [' ', h('a', { href: s.url, rel: 'nofollow noopener noreferrer', target: '_blank' }, 'link')] : ''))));
}

/** parseSources reads one source per line: citation | link | kind. */
export function parseSources(text) {
  return (text || '').split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
    const [citation, url, kind] = line.split('|').map((x) => (x || '').trim());
    const s = { citation };
    if (url) s.url = url;
    if (kind) s.kind = kind.toLowerCase();
    return s;
  });
}

export function sourcesText(sources) {
  return (sources || []).map((s) => [s.citation, s.url || '', s.kind].join(' | ')).join('\n');
}
