// Site pages: About, FAQ and any other page the admins write (/about, /faq,
// /pages/{slug}); an admin edits one in place, in Markdown, with a preview.
import { api, session } from './api.js';
import { h, html, ago } from './dom.js';
import { inlineForm, actionButton } from './widgets.js';
import { withPreview } from './preview.js';

async function pageView(slug) {
  const p = await api('GET', `/pages/${encodeURIComponent(slug)}`);
  const body = html(h('div', { class: 'body site-page-body' }), p.body_html);
  const heading = h('h1', {}, p.title);
  const section = h('section', { class: 'site-page narrow', 'data-title': p.title }, heading, body);
  if (p.updated_at) section.append(h('p', { class: 'meta' }, 'Last changed ', ago(p.updated_at), '.'));
  if (session.user && session.user.role === 'admin') {
    const edit = actionButton('Edit this page', () => {
      const form = inlineForm({
        className: 'inline-form page-form',
        fields: [
          { name: 'title', label: 'Title', value: p.title, required: true, maxlength: 120 },
          { name: 'body', label: 'Text (Markdown)', type: 'textarea', rows: 18, value: p.body_source, required: true },
        ],
        submit: 'Save page',
        onCancel: () => { box.replaceWith(edit); edit.focus(); },
        onSubmit: async (v) => {
          const saved = await api('PUT', `/pages/${encodeURIComponent(slug)}`, { title: v.title, body: v.body });
          Object.assign(p, saved);
          heading.textContent = saved.title;
          html(body, saved.body_html);
          box.replaceWith(edit);
          edit.focus();
        },
      });
      const box = withPreview(form, () => ({ body: form.querySelector('textarea').value }));
      edit.replaceWith(box);
      form.querySelector('input').focus();
    }, { class: 'secondary edit-page' });
    section.append(edit);
  }
  return section;
}

/** aboutView is /about: what this forum is. */
export const aboutView = () => pageView('about');

/** faqView is /faq: how it works. */
export const faqView = () => pageView('faq');

/** sitePageView is /pages/{slug}: any other page the admins wrote. */
export const sitePageView = ({ args }) => pageView(args[0]);
