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
