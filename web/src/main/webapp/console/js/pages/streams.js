// Streams: the stream listing by category and id prefix, paged by stream id (GET /streams).
import * as api from '../api.js';
import { el, field, replaceChildren, route, routeWithQuery, searchForm, table, textInput } from '../dom.js';
import { heading, notice, pager, showError, time } from '../ui.js';

const PAGE = 20;

export function render(main, { query }) {
  const prefix = textInput('prefix', query.get('prefix'));
  const category = textInput('category', query.get('category'));
  const results = el('div', { class: 'results' });
  const pages = pager('Stream pages');
  const status = notice();
  const form = searchForm('Find streams', search, 'Search', field('Stream id prefix', prefix), field('Category', category));
  main.append(heading('Streams'), form, status, results, pages.element);

  function search() {
    location.hash = routeWithQuery(['streams'], { prefix: prefix.value.trim(), category: category.value.trim() });
  }

  // Keyset paging: each page starts after the previous page's last id; going back pops the stack.
  const starts = [];
  async function show(after) {
    try {
      const page = await api.get('/streams', {
        prefix: query.get('prefix'),
        category: query.get('category'),
        after,
        limit: PAGE,
      });
      const rows = page.streams.map((s) => [
        el('a', { href: route('streams', s.streamId) }, s.streamId),
        s.category,
        String(s.version),
        time(s.updatedAt),
      ]);
      replaceChildren(results, table('Streams', ['Stream', 'Category', 'Version', 'Updated'], rows));
      pages.show(
        starts.length > 0 ? () => show(starts.pop()) : null,
        page.next ? () => (starts.push(after), show(page.next)) : null,
      );
      status.textContent = rows.length === 0 ? 'No streams match.' : 'Showing ' + rows.length + ' streams.';
    } catch (error) {
      showError(results, error);
    }
  }
  show(undefined);
}
