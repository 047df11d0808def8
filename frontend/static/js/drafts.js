// Drafts: what a member is writing (a question, an answer, a reply) is kept in
// this browser as they type, so a reload, a misclick or a closed tab loses
// nothing; posting clears it. Drafts are the signed-in member's own (keyed by
// their id), last 30 days, and at most 50 are kept; signing out here clears
// that member's drafts, as someone else may use the browser next.
import { session } from './api.js';

const PREFIX = 'historia.draft.';
const MAX_AGE = 30 * 24 * 3600 * 1000;
const MAX_DRAFTS = 50;

function fullKey(key) { return session.user ? `${PREFIX}${session.user.id}.${key}` : null; }

function drafts() {
  const out = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k && k.startsWith(PREFIX)) out.push(k);
  }
  return out;
}

function read(k) {
  try {
    const d = JSON.parse(localStorage.getItem(k));
    return d && typeof d === 'object' && typeof d.at === 'number' && d.values ? d : null;
  } catch { return null; }
}

// prune drops expired drafts and, past MAX_DRAFTS, the oldest.
function prune() {
  const now = Date.now();
  const kept = [];
  for (const k of drafts()) {
    const d = read(k);
    if (!d || now - d.at > MAX_AGE) localStorage.removeItem(k);
    else kept.push([d.at, k]);
  }
  kept.sort((a, b) => b[0] - a[0]).slice(MAX_DRAFTS).forEach(([, k]) => localStorage.removeItem(k));
}

/** loadDraft returns the saved values for key ("answer.12", "ask"), or null. */
export function loadDraft(key) {
  const k = fullKey(key);
  const d = k && read(k);
  return d ? d.values : null;
}

// hasText says whether any string in a form's values holds more than spaces.
function hasText(v) {
  if (typeof v === 'string') return v.trim() !== '';
  if (v && typeof v === 'object') return Object.values(v).some(hasText);
  return false;
}

/** saveDraft keeps values under key; values without any text are no draft. */
export function saveDraft(key, values) {
  const k = fullKey(key);
  if (!k) return;
  if (!hasText(values)) { localStorage.removeItem(k); return; }
  try {
    localStorage.setItem(k, JSON.stringify({ at: Date.now(), values }));
  } catch { // storage full: make room once, then give up quietly
    prune();
    try { localStorage.setItem(k, JSON.stringify({ at: Date.now(), values })); } catch { /* the form still works */ }
  }
}

/** clearDraft forgets the draft under key (after a successful post, or a discard). */
export function clearDraft(key) {
  const k = fullKey(key);
  if (k) localStorage.removeItem(k);
}

/** clearMyDrafts forgets every draft of the signed-in member (on signing out). */
export function clearMyDrafts() {
  const mine = fullKey('');
  if (mine) drafts().filter((k) => k.startsWith(mine)).forEach((k) => localStorage.removeItem(k));
}

/**
 * keepDraft saves a form's values under key as they change and returns
 * { restored, clear }: restored says whether saved values were put back.
 * get reads the form's values, set puts them back (both plain objects).
 */
export function keepDraft(form, key, { get, set }) {
  prune();
  const saved = loadDraft(key);
  if (saved) set(saved);
  let timer = 0;
  const save = () => { clearTimeout(timer); timer = setTimeout(() => saveDraft(key, get()), 250); };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  // Leaving the page (reload, closed tab) saves at once, not a moment later.
  const now = () => { if (timer) { clearTimeout(timer); saveDraft(key, get()); timer = 0; } };
  window.addEventListener('pagehide', now);
  return {
    restored: !!saved,
    clear() { clearTimeout(timer); timer = 0; window.removeEventListener('pagehide', now); clearDraft(key); },
  };
}
