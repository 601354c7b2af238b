// Boot and router: hash routes (#/streams, #/streams/{id}, #/log, #/events/{id}, #/registry,
// #/registry/{type}, #/groups, #/groups/{group}, #/health, #/signin), so the server needs no
// rewrites. Each page's render(main, route) may return a cleanup function (timers, live tail).
import * as auth from './auth.js';
import { whenUnauthorized } from './api.js';
import { el, replaceChildren } from './dom.js';
import * as streams from './pages/streams.js';
import * as stream from './pages/stream.js';
import * as log from './pages/log.js';
import * as event from './pages/event.js';
import * as registry from './pages/registry.js';
import * as groups from './pages/groups.js';
import * as health from './pages/health.js';
import * as signin from './pages/signin.js';
import { heading } from './ui.js';

const main = document.getElementById('main');
let cleanup = null;
let firstRender = true;

/** The current hash as {parts, query}: "#/streams/a%2Fb?x=1" → {parts: ['streams','a/b'], query}. */
function parseHash() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
  const [path, search] = hash.split('?', 2);
  const parts = path.split('/').filter((p) => p !== '').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { parts, query: new URLSearchParams(search || '') };
}

function pageFor(parts) {
  const [section, name, extra] = parts;
  if (extra !== undefined) return null;
  switch (section || 'streams') {
    case 'streams':
      return name === undefined ? streams : stream;
    case 'log':
      return name === undefined ? log : null;
    case 'events':
      return event;
    case 'registry':
      return registry;
    case 'groups':
      return groups;
    case 'health':
      return name === undefined ? health : null;
    case 'signin':
      return name === undefined ? signin : null;
    default:
      return null;
  }
}

function showSession() {
  const session = document.getElementById('session');
  if (!auth.token()) {
    replaceChildren(session);
    return;
  }
  replaceChildren(
    session,
    el('span', { class: 'who' }, auth.who()),
    el('button', { type: 'button', on: { click: signOut } }, 'Sign out'),
  );
}

function signOut() {
  auth.signOut();
  location.hash = '#/signin';
}

function markCurrent(section) {
  for (const link of document.querySelectorAll('nav a[data-section]')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function render() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const route = parseHash();
  const section = route.parts[0] || 'streams';
  if (section !== 'signin' && !auth.token()) {
    location.replace('#/signin?next=' + encodeURIComponent(location.hash || '#/streams'));
    return;
  }
  showSession();
  markCurrent(section);
  replaceChildren(main);
  const page = pageFor(route.parts);
  if (!page) {
    main.append(heading('Page not found'), el('p', null, 'No console page has this address.'));
    return;
  }
  const result = page.render(main, route);
  cleanup = typeof result === 'function' ? result : null;
  // The old page's focused control is gone: start the keyboard (and a screen reader) at the new
  // page's content, unless the page focused a control itself.
  if (!firstRender && (document.activeElement === document.body || document.activeElement === null)) {
    main.focus({ preventScroll: true });
  }
  firstRender = false;
}

// The reason goes through sessionStorage, not the address: a link cannot put words in the alert.
// Parallel calls may all get a 401: the first one sends the user to sign-in, the others do nothing
// (so `next` keeps the page the user was on).
whenUnauthorized((message) => {
  if (location.hash.startsWith('#/signin')) return;
  auth.signOut();
  auth.setSignInReason(message || 'Sign in again.');
  location.hash = '#/signin?next=' + encodeURIComponent(location.hash);
});

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', render);
render();
