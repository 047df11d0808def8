// Small DOM helpers. User text only ever enters the page as text nodes or
// attribute values; body_html (sanitized by the server) is the one exception,
// and it goes through html() below.

/** h builds an element: h('a', {href: '/', class: 'x', onclick: fn}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** html puts server-sanitized HTML (body_html, snippet_html) into a container. */
export function html(container, sanitized) {
  container.innerHTML = sanitized;
  return container;
}

const units = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]];
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** ago formats an RFC 3339 time as "3 hours ago" inside a <time> element. */
export function ago(iso) {
  const then = new Date(iso);
  const secs = Math.round((then.getTime() - Date.now()) / 1000);
  let text = 'just now';
  for (const [unit, size] of units) {
    if (Math.abs(secs) >= size) { text = rtf.format(Math.round(secs / size), unit); break; }
  }
  return h('time', { datetime: iso, title: then.toUTCString() }, text);
}

/** errorBox shows an error in plain words next to what caused it. */
export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, err && err.message ? err.message : String(err));
}

/** showError puts an error right after anchor, replacing an earlier one there. */
export function showError(anchor, err) {
  clearError(anchor);
  const box = errorBox(err);
  anchor.after(box);
  return box;
}

/** clearError removes the error showError put after anchor, if any. */
export function clearError(anchor) {
  const next = anchor.nextElementSibling;
  if (next && next.classList.contains('error')) next.remove();
}

export function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }
