// Small pieces every page uses: errors, pagers, times, a polite notice.
import { el, replaceChildren } from './dom.js';

/** An error shown to everyone, assistive technology included (role=alert). */
export function errorMessage(error) {
  const status = error && error.status ? ' (HTTP ' + error.status + ')' : '';
  return el('p', { role: 'alert', class: 'error' }, (error && error.message ? error.message : String(error)) + status);
}

/** Shows error in slot (a container element), replacing what it held. */
export function showError(slot, error) {
  replaceChildren(slot, errorMessage(error));
}

/** A polite, non-interrupting notice region (aria-live) for results such as "20 streams". */
export function notice() {
  return el('p', { 'aria-live': 'polite', class: 'notice' });
}

/**
 * "Previous page" / "Next page" buttons, built once: `pager.show(onPrevious, onNext)` sets what they
 * do (null disables a button), so a button keeps the keyboard focus from page to page.
 */
export function pager(label) {
  const handlers = { previous: null, next: null };
  const previous = el('button', { type: 'button', disabled: true, on: { click: () => handlers.previous && handlers.previous() } }, 'Previous page');
  const next = el('button', { type: 'button', disabled: true, on: { click: () => handlers.next && handlers.next() } }, 'Next page');
  const element = el('div', { class: 'pager', role: 'group', 'aria-label': label }, previous, next);
  return {
    element,
    show(onPrevious, onNext) {
      handlers.previous = onPrevious;
      handlers.next = onNext;
      previous.disabled = !onPrevious;
      next.disabled = !onNext;
    },
  };
}

/** An ISO-8601 instant as a <time>, shown in the browser's locale, UTC in the title. */
export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return el('time', { datetime: iso, title: iso }, date.toLocaleString());
}

/** A page's heading; sets the document title too. */
export function heading(text) {
  document.title = text + ' · Arbor console';
  return el('h1', null, text);
}

/** An event's schema version as text, or the dash of an untyped (unregistered) event. */
export function schemaVersionText(e) {
  return e.schemaVersion === undefined || e.schemaVersion === null ? '—' : String(e.schemaVersion);
}

/** A hash shortened for a table cell, full in the title. */
export function shortHash(hash) {
  if (!hash) return '—';
  return el('code', { title: hash }, hash.slice(0, 12) + '…');
}
