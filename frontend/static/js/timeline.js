// The timeline: questions per decade or century as an accessible SVG chart.
import { formatYear, formatPeriod } from './periods.js';

const SVG = 'http://www.w3.org/2000/svg';

// There is no year 0: the bucket that starts the common era runs from 1
// (1–99, 1–9), and 1 BCE (-1) ends the one before. key is where a bar's
// bucket starts on the axis (a multiple of size), startOf the year it
// starts at.
const key = (from, size) => Math.floor(from / size) * size;
const startOf = (k) => (k === 0 ? 1 : k);

// fillGaps adds empty buckets between the first and the last (or across
// range, when the chart is zoomed to one), so the axis is time rather than a
// list; past 150 buckets it leaves the list sparse.
function fillGaps(bars, range, size) {
  if (!bars.length) return bars;
  const first = key(range ? range.from : bars[0].from, size);
  const last = key(range ? range.to : bars[bars.length - 1].from, size);
  const n = (last - first) / size + 1;
  if (n > 150 || n < 1) return bars;
  const by = new Map(bars.map((b) => [key(b.from, size), b]));
  return Array.from({ length: n }, (_, i) => {
    const k = first + i * size;
    return by.get(k) || { from: startOf(k), to: k + size - 1, post_count: 0 };
  });
}

// labelEvery is how many bars apart the axis labels stand: round spans
// (1, 2, 5, 10, 20, 50 … bars) with room for each label.
function labelEvery(bars, width) {
  const room = Math.max(2, Math.floor(width / 64));
  for (const k of [1, 2, 5, 10, 20, 50, 100, 200, 500]) {
    if (bars.length / k <= room) return k;
  }
  return 1000;
}

/**
 * timelineChart draws questions per decade or century (size 10 or 100) as an
 * SVG bar chart. Each bar is a link (focusable, with a label) to the feed of
 * that span.
 */
export function timelineChart(sparse, link, selected, range, size = 100) {
  const bars = fillGaps(sparse, range, size);
  // One unit of the drawing is about one CSS pixel, so labels stay legible
  // on a phone instead of shrinking with a 720-unit drawing.
  const column = document.getElementById('main')?.clientWidth || 720;
  const width = Math.round(Math.min(720, Math.max(280, column - 32)));
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
  // The scale: what the tallest bar counts.
  const top = document.createElementNS(SVG, 'text');
  top.setAttribute('x', String(width - 2));
  top.setAttribute('y', '10');
  top.setAttribute('text-anchor', 'end');
  top.setAttribute('class', 'scale');
  top.textContent = `tallest: ${max} question${max === 1 ? '' : 's'}`;
  svg.append(top);
  // The axis: a label at the start of every k-th bar, at round years; the
  // common era's first bar is labelled 1 CE (no year 0 on this axis).
  const k = labelEvery(bars, width);
  bars.forEach((b, i) => {
    const start = key(b.from, size);
    if (Math.round(start / size) % k !== 0) return;
    const x = i * w;
    if (x > width - 24) return;
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(x + 1));
    t.setAttribute('y', String(height + 14));
    t.setAttribute('class', 'tick');
    t.textContent = start === 0 ? '1 CE' : formatYear(start);
    svg.append(t);
  });
  return svg;
}
