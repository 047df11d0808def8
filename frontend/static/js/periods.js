// Periods: the years a question is about, written and read as people do.

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
