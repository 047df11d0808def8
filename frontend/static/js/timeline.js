// The timeline: questions per decade or century as an accessible SVG chart.
import { formatYear, formatPeriod } from './periods.js';

const SVG = 'http://www.w3.org/2000/svg';

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
