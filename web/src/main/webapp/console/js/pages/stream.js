// One stream: its head and latest snapshot (GET /streams/{id}?snapshot=true: null when there is
// none, so the common case costs no 404), and its events paged by version.
import * as api from '../api.js';
import { definitionList, el, replaceChildren, route, table } from '../dom.js';
import { jsonBlock } from '../json.js';
import { heading, pager, schemaVersionText, shortHash, showError, time } from '../ui.js';

const PAGE = 20;

export function render(main, { parts }) {
  const id = parts[1];
  const info = el('div', { class: 'info' });
  const events = el('div', { class: 'results' });
  const pages = pager('Event pages');
  // Versions are dense from firstVersion to version, so the newest page starts PAGE before the end.
  const ends = el('div', { class: 'pager', role: 'group', 'aria-label': 'Event ends' });
  const snapshot = el('div');
  main.append(heading('Stream ' + id), info, ends, events, pages.element, snapshot);
  const path = '/streams/' + api.seg(id);
  if (id === '.' || id === '..') {
    // URLs treat "." and ".." (encoded or not) as dot segments: /streams/.. is /, not this stream.
    showError(info, new Error('A stream named "' + id + '" cannot be read through a URL (browsers resolve it as a dot segment); its events show in the global log.'));
    return;
  }

  (async () => {
    let head;
    try {
      head = await api.get(path, { snapshot: true });
    } catch (error) {
      showError(info, error);
      return;
    }
    replaceChildren(
      info,
      definitionList([
        ['Stream id', head.streamId],
        ['Version', String(head.version)],
        ['First version', head.firstVersion === undefined ? undefined : String(head.firstVersion)],
        ['Created', time(head.createdAt)],
        ['Updated', time(head.updatedAt)],
      ], { class: 'facts', 'aria-label': 'Stream info' }),
    );
    const first = head.firstVersion || 1;
    const newest = Math.max(first, head.version - PAGE + 1);
    ends.append(
      el('button', { type: 'button', on: { click: () => showEvents(first, first) } }, 'Oldest'),
      el('button', { type: 'button', on: { click: () => showEvents(newest, first) } }, 'Newest'),
    );
    showEvents(first, first);
    if (head.snapshot) showSnapshot(head.snapshot);
  })();

  async function showEvents(from, first) {
    try {
      const page = await api.get(path + '/events', { from, limit: PAGE });
      const rows = page.events.map((e) => [
        String(e.version),
        String(e.globalPosition),
        e.type,
        schemaVersionText(e),
        time(e.recordedAt),
        e.tags && e.tags.length ? el('ul', { class: 'tags' }, e.tags.map((t) => el('li', null, t))) : '—',
        shortHash(e.hash),
        el('a', { href: route('events', e.eventId) }, e.eventId),
        jsonBlock(e.data),
      ]);
      replaceChildren(events, table('Events', ['Version', 'Position', 'Type', 'Schema version', 'Recorded', 'Tags', 'Hash', 'Event id', 'Data'], rows, { class: 'events' }));
      pages.show(
        from > first ? () => showEvents(Math.max(first, from - PAGE), first) : null,
        page.next ? () => showEvents(page.next, first) : null,
      );
    } catch (error) {
      showError(events, error);
    }
  }

  function showSnapshot(s) {
    replaceChildren(
      snapshot,
      el(
        'section',
        { 'aria-labelledby': 'snapshot-heading' },
        el('h2', { id: 'snapshot-heading' }, 'Snapshot'),
        definitionList([
          ['Version', String(s.version)],
          ['Type', s.type],
          ['Created', time(s.createdAt)],
        ], { class: 'facts', 'aria-label': 'Snapshot' }),
        jsonBlock(s.data),
      ),
    );
  }
}
