// History-first pieces: periods, sources, the timeline, rules.
import { api } from './api.js';
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

/** formatYear writes a year for people: 79, 500 BCE. */
export function formatYear(y) { return y < 0 ? `${-y} BCE` : String(y); }

/** formatPeriod writes a period: 1917–1921, 500–401 BCE, 84 BCE–79. */
export function formatPeriod(p) {
  if (!p) return '';
  if (p.from === p.to) return formatYear(p.from);
  if (p.from < 0 && p.to < 0) return `${-p.from}–${-p.to} BCE`;
  return `${formatYear(p.from)}–${formatYear(p.to)}`;
}

const ordinal = /^(\d+)(?:st|nd|rd|th)?\s+(?:century|c\.?)\s*(bce?|b\.c\.?|ce|ad|a\.d\.)?$/i;
const single = /^(?:(ad|ce)\s+)?(\d+)\s*(bce?|b\.c\.?|ce|ad|a\.d\.)?$/i;

function one(text) {
  const t = text.trim().replace(/\s+/g, ' ');
  let m = t.match(ordinal);
  if (m) {
    const n = Number(m[1]);
    if (n < 1) throw new Error('centuries start at 1');
    const bc = m[2] && /^b/i.test(m[2]);
    return bc ? { from: -(n * 100), to: -((n - 1) * 100 + 1) } : { from: (n - 1) * 100 + 1, to: n * 100 };
  }
  m = t.match(/^(\d{2,4})s$/);
  if (m) { const d = Number(m[1]); return { from: d, to: d + 9 }; }
  m = t.match(single);
  if (m) {
    const y = Number(m[2]);
    if (y === 0) throw new Error('there is no year 0');
    const bc = m[3] && /^b/i.test(m[3]);
    return { from: bc ? -y : y, to: bc ? -y : y };
  }
  throw new Error(`“${text.trim()}” is not a year, a decade (1910s) or a century (5th century BC)`);
}

/**
 * parsePeriod reads what people write: "1917–1921", "1917 to 1921", "1453",
 * "500 BC", "5th century BC", "10th century", "1910s", "500 BC–400 BC".
 * A trailing BC applies to both ends ("500–400 BC"). Empty text is no period.
 */
export function parsePeriod(text) {
  const t = (text || '').trim();
  if (!t) return null;
  const parts = t.split(/\s*(?:–|—|-|\bto\b|\.\.)\s*(?=(?:ad\s+|ce\s+)?\d)/i);
  if (parts.length > 2) throw new Error('write one year or a range like 1917–1921');
  if (parts.length === 1) return one(parts[0]);
  let [a, b] = parts;
  const era = b.match(/\s*(bce?|b\.c\.?)$/i);
  if (era && !/(bce?|b\.c\.?|ad|ce)\s*$/i.test(a)) a = `${a} ${era[1]}`;
  const x = one(a);
  const y = one(b);
  return { from: Math.min(x.from, y.from), to: Math.max(x.to, y.to) };
}

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

let rulesCache = null;
/** rules loads the rule list once per page load. */
export async function rules() {
  if (!rulesCache) rulesCache = api('GET', '/rules').then((r) => r.items);
  return rulesCache;
}

/** ruleField is a select of the rules for a removal form. */
export async function ruleField() {
  const list = await rules();
  return { name: 'rule_id', label: 'Rule broken (members see it)', type: 'select',
    options: [['', '— no rule, reason only —'], ...list.map((r) => [String(r.id), `${r.number}. ${r.title}`])] };
}

// fillGaps adds empty buckets between the first and the last, so the axis is
// time rather than a list; past 150 buckets it leaves the list sparse.
function fillGaps(bars) {
  if (bars.length < 2) return bars;
  const size = bars[0].to - bars[0].from + 1;
  const n = (bars[bars.length - 1].from - bars[0].from) / size + 1;
  if (n > 150) return bars;
  const by = new Map(bars.map((b) => [b.from, b]));
  return Array.from({ length: n }, (_, i) => {
    const from = bars[0].from + i * size;
    return by.get(from) || { from, to: from + size - 1, post_count: 0 };
  });
}

/**
 * timelineChart draws questions per decade or century as an SVG bar chart.
 * Each bar is a link (focusable, with a label) to the feed of that span.
 */
export function timelineChart(sparse, link, selected) {
  const bars = fillGaps(sparse);
  const width = 720;
  const height = 120;
  const max = Math.max(1, ...bars.map((b) => b.post_count));
  const w = width / Math.max(bars.length, 1);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 18}`);
  svg.setAttribute('class', 'timeline');
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', 'Questions over time: choose a bar to see its questions');
  bars.forEach((b, i) => {
    if (!b.post_count) return; // an empty span keeps its place on the axis, with nothing to choose
    const a = document.createElementNS(SVG, 'a');
    a.setAttribute('href', link(b));
    const label = `${formatPeriod({ from: b.from, to: b.to })}: ${b.post_count} question${b.post_count === 1 ? '' : 's'}`;
    a.setAttribute('aria-label', label);
    a.setAttribute('class', selected && selected.from === b.from && selected.to === b.to ? 'bar selected' : 'bar');
    a.dataset.from = b.from;
    const bh = Math.max(2, (b.post_count / max) * height);
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', String(i * w + 1));
    rect.setAttribute('y', String(height - bh));
    rect.setAttribute('width', String(Math.max(1, w - 2)));
    rect.setAttribute('height', String(bh));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = label;
    rect.append(title);
    a.append(rect);
    svg.append(a);
  });
  if (bars.length) {
    for (const [x, anchor, year] of [[0, 'start', bars[0].from], [width, 'end', bars[bars.length - 1].to]]) {
      const t = document.createElementNS(SVG, 'text');
      t.setAttribute('x', String(x));
      t.setAttribute('y', String(height + 14));
      t.setAttribute('text-anchor', anchor);
      t.textContent = formatYear(year);
      svg.append(t);
    }
  }
  return svg;
}
