// Event by id: GET /events/{eventId}, every field, data and metadata pretty-printed as text.
import * as api from '../api.js';
import { definitionList, el, field, replaceChildren, route, searchForm, textInput } from '../dom.js';
import { jsonBlock } from '../json.js';
import { heading, schemaVersionText, shortHash, showError, time } from '../ui.js';

export function render(main, { parts }) {
  const id = parts[1];
  const input = textInput('eventId', id);
  input.size = 38;
  const form = searchForm('Find an event', show, 'Show', field('Event id', input));
  const result = el('div');
  main.append(heading(id ? 'Event ' + id : 'Event by id'), form, result);
  function show() {
    const value = input.value.trim();
    if (value) location.hash = route('events', value);
  }
  if (!id) {
    input.focus();
    return;
  }
  (async () => {
    try {
      const e = await api.get('/events/' + api.seg(id));
      replaceChildren(
        result,
        definitionList([
          ['Event id', e.eventId],
          ['Stream', el('a', { href: route('streams', e.streamId) }, e.streamId)],
          ['Version', String(e.version)],
          ['Position', String(e.globalPosition)],
          ['Type', e.type],
          ['Schema version', schemaVersionText(e)],
          ['Recorded', time(e.recordedAt)],
          ['Tags', e.tags && e.tags.length ? e.tags.join(', ') : null],
          ['Hash', e.hash ? el('code', { class: 'hash' }, e.hash) : null],
        ], { class: 'facts', 'aria-label': 'Event' }),
        el('h2', null, 'Data'),
        jsonBlock(e.data),
        el('h2', null, 'Metadata'),
        jsonBlock(e.metadata === undefined ? {} : e.metadata),
      );
    } catch (error) {
      showError(result, error);
    }
  })();
}
