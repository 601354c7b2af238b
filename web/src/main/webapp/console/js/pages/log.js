// The global log: pages of GET /events with category/type filters, and a live tail over
// GET /events/subscribe (SSE read with fetch: sse.js) that continues from the last row shown, so
// history and live rows form one table in position order, each event once. Pause closes the
// connection; resume reconnects after the last position seen (Last-Event-ID); a broken connection
// is retried with a growing delay while the status says "reconnecting".
import * as api from '../api.js';
import { ApiError } from '../api.js';
import { el, field, replaceChildren, route, routeWithQuery, searchForm, table, textInput } from '../dom.js';
import { jsonBlock, parse } from '../json.js';
import { readEventStream } from '../sse.js';
import { errorMessage, heading, pager, time } from '../ui.js';

const PAGE = 50;
const MAX_ROWS = 2000; // the live tail drops the oldest rows past this, so a long tail stays light
const STALE_MS = 45000; // the server sends something at least every 15 s; silence this long: reconnect

function row(e) {
  return el(
    'tr',
    { 'data-position': String(e.globalPosition) },
    [
      String(e.globalPosition),
      el('a', { href: route('streams', e.streamId) }, e.streamId),
      String(e.version),
      e.type,
      e.schemaVersion === undefined || e.schemaVersion === null ? '—' : String(e.schemaVersion),
      time(e.recordedAt),
      el('a', { href: route('events', e.eventId) }, e.eventId),
      jsonBlock(e.data),
    ].map((cell) => el('td', null, cell)),
  );
}

export function render(main, { query }) {
  const filters = { category: query.get('category') || '', type: query.get('type') || '' };
  const category = textInput('category', filters.category);
  const type = textInput('type', filters.type);
  const form = searchForm('Filter the log', apply, 'Apply filters', field('Category', category), field('Event type', type));
  // Enabled once the first page is shown: the tail continues from that page's end.
  const followButton = el('button', { type: 'button', class: 'primary', disabled: true, on: { click: toggle } }, 'Follow live');
  const status = el('p', { role: 'status', class: 'tail-status' }, 'stopped');
  const alert = el('div', { class: 'alert-slot' });
  const results = table('Global log', ['Position', 'Stream', 'Version', 'Type', 'Schema version', 'Recorded', 'Event id', 'Data'], [], { class: 'events' });
  const tbody = results.querySelector('tbody');
  const pagerSlot = el('div');
  main.append(heading('Global log'), form, el('div', { class: 'tail-controls' }, followButton, status), alert, results, pagerSlot);

  function apply() {
    location.hash = routeWithQuery(['log'], { category: category.value.trim(), type: type.value.trim() });
  }

  // ---- history pages ----
  let lastPosition = 0; // the highest position shown or passed (checkpoints): where the tail resumes
  const starts = [];
  async function showPage(after) {
    try {
      const page = await api.get('/events', { after, limit: PAGE, category: filters.category, type: filters.type });
      tbody.replaceChildren(...page.events.map(row));
      lastPosition = page.lastPosition;
      replaceChildren(alert);
      replaceChildren(
        pagerSlot,
        pager(
          'Log pages',
          starts.length > 0 ? () => showPage(starts.pop()) : null,
          page.events.length === PAGE ? () => (starts.push(after), showPage(page.lastPosition)) : null,
        ),
      );
    } catch (error) {
      replaceChildren(alert, errorMessage(error));
    }
    followButton.disabled = false;
  }
  showPage(Number(query.get('after')) || 0);

  // ---- live tail ----
  let state = 'stopped'; // stopped | connecting | live | reconnecting | paused
  let connection = null; // the AbortController of the open connection
  let lastHeard = 0;
  let attempt = 0;
  let generation = 0; // each follow() loop's number: a loop that is no longer the latest ends

  // The status changes only when the state does (an aria-live region: not once per event).
  function setState(next) {
    state = next;
    const words = {
      stopped: 'stopped',
      connecting: 'connecting…',
      live: 'live, following from position ' + lastPosition,
      reconnecting: 'reconnecting… (attempt ' + attempt + ')',
      paused: 'paused at position ' + lastPosition,
    };
    status.textContent = words[next];
    followButton.textContent = next === 'stopped' ? 'Follow live' : next === 'paused' ? 'Resume' : 'Pause';
    for (const button of pagerSlot.querySelectorAll('button')) {
      if (next !== 'stopped') button.disabled = true;
    }
  }

  function toggle() {
    if (state === 'stopped' || state === 'paused') {
      attempt = 0;
      follow();
    } else {
      setState('paused');
      if (connection) connection.abort();
    }
  }

  function onFrame(frame) {
    lastHeard = Date.now();
    if (frame.event === 'event') {
      const e = parse(frame.data);
      if (e.globalPosition <= lastPosition) return; // a guard: every event once, in order
      tbody.append(row(e));
      while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(0);
      lastPosition = e.globalPosition;
    } else if (frame.event === 'checkpoint' || frame.event === 'caught-up' || frame.event === 'dropped') {
      const position = parse(frame.data).position;
      if (typeof position === 'number' && position > lastPosition) lastPosition = position;
    }
  }

  async function follow() {
    const loop = ++generation;
    const current = () => loop === generation && state !== 'paused' && state !== 'stopped';
    setState('connecting');
    while (current()) {
      connection = new AbortController();
      const mine = connection;
      lastHeard = Date.now();
      try {
        await readEventStream(
          api.withQuery(api.API + '/events/subscribe', { after: lastPosition, category: filters.category, type: filters.type }),
          {
            lastEventId: lastPosition,
            signal: mine.signal,
            onOpen: () => {
              attempt = 0;
              replaceChildren(alert);
              setState('live');
            },
            onFrame,
            onHeartbeat: () => (lastHeard = Date.now()),
          },
        );
      } catch (error) {
        if (!current()) return;
        if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
          replaceChildren(alert, errorMessage(error));
          setState('stopped');
          return;
        }
      }
      if (!current()) return;
      attempt += 1;
      setState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 10000)));
    }
  }

  const watchdog = setInterval(() => {
    if (state === 'live' && connection && Date.now() - lastHeard > STALE_MS) connection.abort();
  }, 5000);

  return () => {
    clearInterval(watchdog);
    state = 'stopped';
    if (connection) connection.abort();
  };
}
