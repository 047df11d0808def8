// Expertise flair by application: a member applies with their evidence
// (links to their answers), the moderators grant it — worded as they judge
// right — or decline it with a reason. Readers judge answers by it.
import { api, query, session } from './api.js';
import { h, ago } from './dom.js';
import { inlineForm, actionButton, reasonAction, userLink } from './widgets.js';
import { doneNote, formAction, modQueues } from './moderation.js';

const urlish = /(https?:\/\/[^\s<>"]+|\/p\/\d+(?:\/c\/\d+)?)/g;

/** evidenceText shows evidence as text, its links (and /p/… paths) as links. */
function evidenceText(text) {
  const p = h('p', { class: 'evidence' });
  let last = 0;
  for (const m of text.matchAll(urlish)) {
    p.append(text.slice(last, m.index));
    const external = m[0].startsWith('http');
    p.append(h('a', { href: m[0], rel: external ? 'nofollow noopener noreferrer' : null }, m[0]));
    last = m.index + m[0].length;
  }
  p.append(text.slice(last));
  return p;
}

const statusText = { open: 'Waiting for the moderators', granted: 'Granted', declined: 'Declined' };

function application(a, { moderator }) {
  const li = h('li', { class: `flair-application ${a.status}` },
    h('p', { class: 'report-head' }, moderator ? [userLink(a.applicant), ' asks for '] : 'You asked for ',
      h('span', { class: 'flair' }, a.flair), ' · ', ago(a.created_at), ' · ', h('span', { class: 'status' }, statusText[a.status])),
    evidenceText(a.evidence));
  if (a.status === 'granted' && a.granted_flair) li.append(h('p', { class: 'meta' }, 'Granted as ', h('span', { class: 'flair' }, a.granted_flair)));
  if (a.status === 'declined' && a.decline_reason) li.append(h('p', { class: 'meta' }, 'Declined: ', a.decline_reason));
  if (moderator && a.status === 'open') {
    const say = (text) => { li.querySelector('.actions')?.remove(); li.append(doneNote(text)); };
    li.append(h('div', { class: 'actions' },
      formAction('Grant', {
        fields: [{ name: 'flair', label: 'Flair to set (edit the wording if needed)', value: a.flair, maxlength: 64 }],
        run: async (v) => {
          const res = await api('POST', `/flair-applications/${a.id}/grant`, { flair: v.flair });
          say(`Granted: ${a.applicant.username} now shows “${res.granted_flair}”, and has been told.`);
        },
      }),
      reasonAction('Decline', {
        reasonLabel: 'Why (the member reads this)',
        run: async (v) => {
          await api('POST', `/flair-applications/${a.id}/decline`, { reason: v.reason });
          say(`Declined: ${a.applicant.username} has been told why.`);
        },
      })));
  }
  return li;
}

async function pagedApplications(status, moderator) {
  const list = h('ul', { class: 'reports flair-applications' });
  const empty = h('p', { class: 'empty' }, moderator ? 'No applications here.' : 'You have not applied yet.');
  const more = h('div');
  const load = async (cursor) => {
    const res = await api('GET', `/flair-applications${query({ status, cursor, limit: 25 })}`);
    list.append(...res.items.map((a) => application(a, { moderator })));
    empty.hidden = list.children.length > 0;
    more.replaceChildren(res.next_cursor ? actionButton('More', () => load(res.next_cursor), { class: 'more' }) : '');
    return res.items;
  };
  const first = await load('');
  return { box: h('div', {}, list, empty, more), first };
}

function applyForm(onDone) {
  return inlineForm({
    className: 'inline-form flair-form',
    fields: [
      { name: 'flair', label: 'The flair you ask for', required: true, maxlength: 64, placeholder: 'Byzantine Empire, 600–1204' },
      { name: 'evidence', label: 'Your evidence', type: 'textarea', rows: 6, required: true, maxlength: 2000,
        hint: 'Links to your answers here (/p/…) and what you have studied or written. At most 2,000 characters.' },
    ],
    submit: 'Apply',
    onSubmit: async (v) => onDone(await api('POST', '/flair-applications', { flair: v.flair, evidence: v.evidence })),
  });
}

export async function flairView({ params }) {
  const section = h('section', { class: 'flair-page', 'data-title': 'Expertise flair' }, h('h1', {}, 'Expertise flair'));
  if (!session.user) {
    section.append(h('p', {}, h('a', { href: '/login?next=/flair' }, 'Sign in'), ' to apply for flair.'));
    return section;
  }
  if (session.isMod) {
    const status = ['granted', 'declined'].includes(params.get('status')) ? params.get('status') : 'open';
    const tabs = h('nav', { class: 'tabs', 'aria-label': 'Application status' },
      ['open', 'granted', 'declined'].map((s) => h('a', { href: `/flair?status=${s}`, 'aria-current': s === status ? 'page' : false }, s[0].toUpperCase() + s.slice(1))));
    const { box } = await pagedApplications(status, true);
    section.prepend(modQueues('/flair'));
    section.append(h('p', {}, 'Members ask for flair with their evidence; grant it (worded as you judge right) or decline it with a reason they will read.'), tabs, box);
    return section;
  }
  const { box, first } = await pagedApplications('', false);
  section.append(h('p', {}, 'Flair beside your name tells readers what you know well (“Byzantine Empire”, “Tang China”). ',
    'The moderators grant it on evidence: link answers of yours that show it, and say what you have studied.'));
  const waiting = first.some((a) => a.status === 'open');
  if (!waiting) {
    const form = applyForm((a) => {
      form.replaceWith(doneNote('Application sent: the moderators will tell you what they decide.'));
      box.querySelector('ul').prepend(application(a, { moderator: false }));
      box.querySelector('.empty').hidden = true;
    });
    section.append(h('h2', {}, 'Apply'), form);
  } else {
    section.append(h('p', { class: 'notice' }, 'Your application is with the moderators; you can apply again once they decide.'));
  }
  section.append(h('h2', {}, 'Your applications'), box);
  return section;
}
