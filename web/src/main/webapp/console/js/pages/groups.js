// Consumer groups: every group of the tenant with its lag, in-flight and parked counts and its
// consumers (GET /subscriptions), refreshed every few seconds; a group's page shows the same in a
// <dl>, its consumers and parked events, and for admins (the token's groups; the server checks
// anyway) "Replay parked" and "Reset" (with a confirm step).
import * as api from '../api.js';
import { isAdmin } from '../auth.js';
import { definitionList, el, field, replaceChildren, route, table } from '../dom.js';
import { errorMessage, heading, notice, pager, time } from '../ui.js';

const EVERY_MS = 3000;
const PARKED_PAGE = 20;

export function render(main, { parts }) {
  return parts[1] === undefined ? renderGroups(main) : renderGroup(main, parts[1]);
}

/** Calls show() now and every few seconds until the returned cleanup runs. */
function refreshing(show) {
  let timer = null;
  let stopped = false;
  (async function tick() {
    await show();
    if (!stopped) timer = setTimeout(tick, EVERY_MS);
  })();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function filterText(filter) {
  const parts = Object.entries(filter || {}).filter(([, v]) => v !== null && v !== undefined);
  return parts.length === 0 ? 'every event' : parts.map(([k, v]) => k + ' ' + (Array.isArray(v) ? v.join(', ') : v)).join('; ');
}

function renderGroups(main) {
  const result = el('div');
  const alert = el('div', { class: 'alert-slot' });
  main.append(heading('Consumer groups'), alert, result);
  return refreshing(async () => {
    try {
      const { groups } = await api.get('/subscriptions');
      replaceChildren(alert);
      replaceChildren(
        result,
        table(
          'Consumer groups',
          ['Group', 'Lag', 'In flight', 'Parked', 'Consumers', 'Checkpoint', 'Filter'],
          groups.map((g) => [
            el('a', { href: route('groups', g.group) }, g.group),
            String(g.lag),
            String(g.inFlight),
            String(g.parked),
            String(g.consumers.length),
            String(g.checkpoint),
            filterText(g.filter),
          ]),
        ),
        groups.length === 0 ? el('p', null, 'No consumer group yet.') : null,
      );
    } catch (error) {
      replaceChildren(alert, errorMessage(error));
    }
  });
}

function renderGroup(main, name) {
  const path = '/subscriptions/' + api.seg(name);
  const facts = el('div');
  const consumers = el('div');
  const parked = el('div');
  const parkedPages = pager('Parked event pages');
  const parkedStarts = []; // keyset paging by position: each page starts after the previous one's last
  let parkedAfter; // the shown page's start, kept across refreshes
  const alert = el('div', { class: 'alert-slot' }); // the refresh's errors: each refresh replaces them
  const actionAlert = el('div', { class: 'alert-slot' }); // an admin action's error: stays until the next action
  const outcome = notice();
  const admin = isAdmin() ? adminActions() : '';
  main.append(
    heading('Consumer group ' + name),
    el('p', null, el('a', { href: route('groups') }, 'All consumer groups')),
    alert,
    facts,
    admin,
    actionAlert,
    outcome,
    el('h2', null, 'Consumers'),
    consumers,
    el('h2', null, 'Parked events'),
    parked,
    parkedPages.element,
  );

  async function show() {
    try {
      const [g, page] = await Promise.all([api.get(path), api.get(path + '/parked', { after: parkedAfter, limit: PARKED_PAGE })]);
      replaceChildren(alert);
      replaceChildren(
        facts,
        definitionList([
          ['Lag', String(g.lag)],
          ['In flight', String(g.inFlight)],
          ['Parked', String(g.parked)],
          ['Consumers', String(g.consumers.length)],
          ['Checkpoint', String(g.checkpoint)],
          ['Head position', String(g.headPosition)],
          ['Strategy', g.strategy],
          ['Filter', filterText(g.filter)],
          ['Max retries', String(g.maxRetries)],
          ['Ack timeout', g.ackTimeoutSeconds + ' s'],
          ['Max in flight', String(g.maxInFlight)],
        ], { class: 'facts', 'aria-label': 'Group status' }),
      );
      replaceChildren(
        consumers,
        g.consumers.length === 0
          ? el('p', null, 'No consumer has fetched recently.')
          : table('Consumers', ['Consumer', 'In flight', 'Last seen'], g.consumers.map((c) => [c.consumer, String(c.inFlight), time(c.lastSeen)])),
      );
      replaceChildren(
        parked,
        page.events.length === 0
          ? el('p', null, 'Nothing is parked.')
          : table('Parked events', ['Position', 'Stream', 'Type', 'Event id'], page.events.map((e) => [
              String(e.globalPosition),
              el('a', { href: route('streams', e.streamId) }, e.streamId),
              e.type,
              el('a', { href: route('events', e.eventId) }, e.eventId),
            ])),
      );
      parkedPages.show(
        parkedStarts.length > 0 ? () => ((parkedAfter = parkedStarts.pop()), show()) : null,
        page.next ? () => (parkedStarts.push(parkedAfter), (parkedAfter = page.next), show()) : null,
      );
    } catch (error) {
      replaceChildren(alert, errorMessage(error));
    }
  }

  function adminActions() {
    const to = el('select', { name: 'to' }, el('option', { value: 'beginning' }, 'the beginning'), el('option', { value: 'end' }, 'the end'), el('option', { value: 'position' }, 'a position'));
    const position = el('input', { type: 'number', min: '0', step: '1', name: 'position', inputmode: 'numeric' });
    const positionField = field('Position', position);
    positionField.hidden = true;
    to.addEventListener('change', () => (positionField.hidden = to.value !== 'position'));
    const confirm = el('div', { class: 'actions confirm', hidden: true },
      field('Reset to', to),
      positionField,
      el('button', { type: 'button', class: 'danger primary', on: { click: reset } }, 'Confirm reset'),
      el('button', { type: 'button', on: { click: () => (confirm.hidden = true) } }, 'Cancel'),
    );
    async function act(label, call) {
      try {
        await call();
        outcome.textContent = label;
        replaceChildren(actionAlert);
        await show();
      } catch (error) {
        replaceChildren(actionAlert, errorMessage(error));
      }
    }
    async function reset() {
      const target = to.value === 'position' ? Number(position.value) : to.value;
      if (to.value === 'position' && !(Number.isInteger(target) && target >= 0)) {
        replaceChildren(actionAlert, errorMessage(new Error('Enter a position: a whole number, 0 or more.')));
        position.focus();
        return;
      }
      const where = to.value === 'position' ? 'position ' + target : to.selectedOptions[0].textContent;
      await act('Reset to ' + where + '.', () => api.post(path + '/reset', { to: target }));
      confirm.hidden = true;
    }
    return el(
      'section',
      { 'aria-labelledby': 'admin-actions' },
      el('h2', { id: 'admin-actions' }, 'Admin actions'),
      el('div', { class: 'actions' },
        el('button', { type: 'button', on: { click: () => act('Parked events replayed.', () => api.post(path + '/parked/replay')) } }, 'Replay parked'),
        el('button', { type: 'button', class: 'danger', on: { click: () => { confirm.hidden = false; to.focus(); } } }, 'Reset'),
      ),
      confirm,
    );
  }

  return refreshing(show);
}
