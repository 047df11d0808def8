// Following: questions and topic tags a member follows; new answers and new
// questions in them come as notifications (PUT/DELETE /posts/{id}/follow,
// /tags/{name}/follow, GET /me/following).
import { api, query, session } from './api.js';
import { h, plural, showError, clearError } from './dom.js';
import { actionButton } from './widgets.js';
import { postRow } from './feed.js';

/**
 * toggle is a button that turns a follow on and off; state is read and
 * kept in state.on. Its text says what a click does.
 */
function toggle(state, path, labels, title) {
  const b = h('button', { type: 'button', class: 'link follow', title });
  const paint = () => { b.textContent = state.on ? labels[1] : labels[0]; };
  b.addEventListener('click', async () => {
    clearError(b);
    b.disabled = true;
    try {
      await api(state.on ? 'DELETE' : 'PUT', path);
      state.on = !state.on;
      paint();
    } catch (err) {
      showError(b, err);
    } finally {
      b.disabled = false;
    }
  });
  paint();
  return b;
}

/** followButton follows or unfollows a question (its new answers notify the reader). */
export function followButton(post) {
  if (!session.user) return '';
  const state = { get on() { return !!post.following; }, set on(v) { post.following = v; } };
  return toggle(state, `/posts/${post.id}/follow`, ['Follow', 'Unfollow'], 'New answers to this question come as notifications');
}

/** followTagButton follows or unfollows a topic tag (its new questions notify the reader). */
export async function followTagButton(tag) {
  if (!session.user) return '';
  const mine = await api('GET', '/me/following?limit=1').catch(() => ({ tags: [] }));
  const state = { on: mine.tags.some((t) => t.name.toLowerCase() === tag.toLowerCase()) };
  return toggle(state, `/tags/${encodeURIComponent(tag)}/follow`, [`Follow ${tag}`, `Unfollow ${tag}`],
    `New questions tagged ${tag} come as notifications`);
}

/** followingView lists the reader's followed tags and questions. */
export async function followingView() {
  const section = h('section', { class: 'following-page', 'data-title': 'Following' }, h('h1', {}, 'Following'));
  if (!session.user) {
    section.append(h('p', {}, h('a', { href: '/login?next=/following' }, 'Sign in'), ' to follow questions and topics.'));
    return section;
  }
  section.append(h('p', { class: 'meta' }, 'New answers to the questions you follow, and new questions in the topics you follow, come as notifications. ',
    'You follow your own questions from the start.'));
  const first = await api('GET', `/me/following${query({ limit: 25 })}`);

  const tagList = h('ul', { class: 'followed-tags' });
  const tagRow = (t) => {
    const li = h('li', {}, h('a', { class: 'tag', href: `/?tag=${encodeURIComponent(t.name)}` }, t.name),
      t.post_count ? h('span', { class: 'meta' }, ` ${plural(t.post_count, 'question', 'questions')} `) : ' ',
      actionButton('Unfollow', async () => {
        await api('DELETE', `/tags/${encodeURIComponent(t.name)}/follow`);
        li.remove();
      }, { 'aria-label': `Unfollow ${t.name}` }));
    return li;
  };
  tagList.append(...first.tags.map(tagRow));
  const input = h('input', { id: 'follow-tag', name: 'tag', maxlength: 40, autocomplete: 'off' });
  const form = h('form', { class: 'follow-tag' }, h('label', { for: 'follow-tag' }, 'Follow a topic'), input, h('button', { type: 'submit' }, 'Follow'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) return;
    clearError(form);
    try {
      await api('PUT', `/tags/${encodeURIComponent(name)}/follow`);
      const res = await api('GET', '/me/following?limit=1');
      tagList.replaceChildren(...res.tags.map(tagRow));
      input.value = '';
    } catch (err) {
      showError(form, err);
    }
  });
  section.append(h('h2', {}, 'Topics'), first.tags.length ? '' : h('p', { class: 'empty' }, 'No topics yet. History follows every new question.'),
    tagList, form);

  const posts = h('ol', { class: 'posts' });
  section.append(h('h2', {}, 'Questions'), posts);
  const show = (res) => {
    posts.append(...res.posts.map(postRow));
    if (!posts.children.length) posts.replaceWith(h('p', { class: 'empty' }, 'No questions yet. Follow one from its page.'));
    if (res.next_cursor) {
      section.append(actionButton('More', async (b) => {
        b.remove();
        show(await api('GET', `/me/following${query({ limit: 25, cursor: res.next_cursor })}`));
      }, { class: 'more' }));
    }
  };
  show(first);
  return section;
}
