// The global log: pages of GET /events with category/type filters, and a live tail over
// GET /events/subscribe (SSE read with fetch: sse.js). The page opens at the log's end (its newest
// events, found by reading back from the answer's headPosition) unless the route asks for
// `after` (#/log?after=0: from the beginning); Follow live continues from what is shown, so history
// and live rows form one table in position order, each event once. Pause closes the connection
// and drops what it still delivers; resume reconnects after the last position seen
// (Last-Event-ID); a broken connection is retried with a growing delay ("reconnecting").
import * as api from '../api.js';
import { ApiError } from '../api.js';
import { el, field, replaceChildren, route, routeWithQuery, searchForm, table, textInput } from '../dom.js';
import { jsonBlock, parse } from '../json.js';
import { readEventStream } from '../sse.js';
import { errorMessage, heading, notice, pager, schemaVersionText, time } from '../ui.js';

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
      schemaVersionText(e),
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
  // Enabled once a page is shown (and while none loads): the tail continues from that page's end.
  const followButton = el('button', { type: 'button', class: 'primary', disabled: true, on: { click: toggle } }, 'Follow live');
  const status = el('p', { role: 'status', class: 'tail-status' }, 'stopped');
  const alert = el('div', { class: 'alert-slot' });
  const info = notice();
  const results = table('Global log', ['Position', 'Stream', 'Version', 'Type', 'Schema version', 'Recorded', 'Event id', 'Data'], [], { class: 'events' });
  const tbody = results.querySelector('tbody');
  const pages = pager('Log pages');
  const ends = el(
    'p',
    { class: 'log-ends' },
    el('a', { href: routeWithQuery(['log'], { ...filters, after: '0' }) }, 'From the beginning'),
    ' · ',
    el('a', { href: routeWithQuery(['log'], filters) }, 'Newest'),
  );
  main.append(heading('Global log'), form, ends, el('div', { class: 'tail-controls' }, followButton, status), alert, info, results, pages.element);

  function apply() {
    location.hash = routeWithQuery(['log'], { category: category.value.trim(), type: type.value.trim() });
  }

  // ---- history pages (only while the tail is stopped) ----
  let lastPosition = 0; // the highest position shown or passed (checkpoints): where the tail resumes
  let loading = 0; // page reads in flight: Follow live waits for them
  const starts = [];

  function read(after) {
    return api.get('/events', { after, limit: PAGE, category: filters.category, type: filters.type });
  }

  /** Shows page (read after `after`), unless the tail started meanwhile; `from` describes it. */
  function showPageRead(page, after, from) {
    if (state !== 'stopped') return;
    tbody.replaceChildren(...page.events.map(row));
    // A page shorter than asked holds every match up to the head: continue after the head.
    lastPosition = page.events.length < PAGE ? Math.max(page.lastPosition, page.headPosition) : page.lastPosition;
    replaceChildren(alert);
    info.textContent = page.events.length === 0 ? 'No events ' + from + '.' : 'Showing ' + page.events.length + ' events ' + from + '.';
    pages.show(
      starts.length > 0 ? () => showPage(starts.pop()) : null,
      page.events.length === PAGE ? () => (starts.push(after), showPage(page.lastPosition)) : null,
    );
  }

  async function loadWhileStopped(load) {
    loading += 1;
    followButton.disabled = true;
    try {
      await load();
    } catch (error) {
      if (state === 'stopped') replaceChildren(alert, errorMessage(error));
    } finally {
      loading -= 1;
      followButton.disabled = loading > 0;
    }
  }

  function showPage(after) {
    return loadWhileStopped(async () => showPageRead(await read(after), after, 'after position ' + after));
  }

  /**
   * The newest events: the log has no backward read, so read after head − 50, head − 200, … (the
   * window growing fourfold) until a page comes back full or the window reaches the start; show the
   * largest window that still fits in one page (all its events, the newest ones), or the first
   * full page when even the smallest window holds a page's worth.
   */
  function showNewest() {
    return loadWhileStopped(async () => {
      const first = await read(0);
      if (first.events.length < PAGE) return showPageRead(first, 0, 'in the whole log');
      let best = null;
      for (let window = PAGE; ; window *= 4) {
        const after = first.headPosition - window;
        if (after <= 0) break;
        const page = await read(after);
        if (page.events.length === PAGE && best) break;
        best = { page, after };
        if (page.events.length === PAGE) break;
      }
      if (!best) return showPageRead(first, 0, 'in the whole log');
      // No page before a window that starts mid-log: its Previous page would be a guess.
      showPageRead(best.page, best.after, 'near the end of the log (after position ' + best.after + ')');
    });
  }

  if (query.has('after')) showPage(Number(query.get('after')) || 0);
  else showNewest();

  // ---- live tail ----
  let state = 'stopped'; // stopped | connecting | live | reconnecting | paused
  let connection = null; // the AbortController of the open connection
  let lastHeard = 0;
  let attempt = 0;
  let generation = 0; // each follow() loop's number: a loop that is no longer the latest ends
  let retry = null; // the pending reconnect timer's wake-up, so Resume need not wait for it

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
    if (next !== 'stopped') pages.show(null, null);
  }

  function toggle() {
    if (state === 'stopped' || state === 'paused') {
      if (loading > 0) return;
      attempt = 0;
      follow();
    } else {
      setState('paused');
      generation += 1; // the running loop, and its connection's frames, are stale from now on
      if (connection) connection.abort();
      if (retry) retry();
    }
  }

  /** The frame handler of one connection attempt: it ignores frames once that attempt is stale. */
  function framesOf(loop, mine) {
    return (frame) => {
      if (loop !== generation || mine !== connection || mine.signal.aborted) return;
      lastHeard = Date.now();
      let message;
      try {
        message = parse(frame.data);
      } catch (error) {
        // Skipping it would lose an event; reconnecting would read it again: stop, and say why.
        stop(new Error('The server sent a ' + frame.event + ' frame the console cannot read (' + error.message + '); following stopped at position ' + lastPosition + '.'));
        return;
      }
      if (frame.event === 'event') {
        if (message.globalPosition <= lastPosition) return; // a guard: every event once, in order
        tbody.append(row(message));
        while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(0);
        lastPosition = message.globalPosition;
      } else if (frame.event === 'checkpoint' || frame.event === 'caught-up' || frame.event === 'dropped') {
        const position = message.position;
        if (typeof position === 'number' && position > lastPosition) lastPosition = position;
        // The server closes after "dropped"; the loop reconnects after position. Say why.
        if (frame.event === 'dropped') info.textContent = 'The server dropped this connection (' + (message.reason || 'no reason given') + '); reconnecting after position ' + lastPosition + '.';
      }
    };
  }

  function stop(error) {
    generation += 1;
    if (connection) connection.abort();
    replaceChildren(alert, errorMessage(error));
    setState('stopped');
  }

  async function follow() {
    const loop = ++generation;
    const current = () => loop === generation;
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
              if (!current()) return;
              attempt = 0;
              replaceChildren(alert);
              setState('live');
            },
            onFrame: framesOf(loop, mine),
            onHeartbeat: () => (lastHeard = Date.now()),
          },
        );
      } catch (error) {
        if (!current()) return;
        if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
          stop(error);
          return;
        }
      }
      if (!current()) return;
      attempt += 1;
      setState('reconnecting');
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.min(500 * 2 ** attempt, 10000));
        retry = () => (clearTimeout(timer), resolve());
      });
      retry = null;
    }
  }

  const watchdog = setInterval(() => {
    if (state === 'live' && connection && Date.now() - lastHeard > STALE_MS) connection.abort();
  }, 5000);

  return () => {
    clearInterval(watchdog);
    generation += 1;
    state = 'stopped';
    if (connection) connection.abort();
    if (retry) retry();
  };
}
