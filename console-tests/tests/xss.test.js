// Event data is untrusted: markup and javascript: links in data, metadata, types, tags and stream
// ids show as text on every page that shows them, and nothing of them ever runs or becomes markup.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Api, ApiError, mintToken, newTenant } from '../lib/arbor.js';
import { assertNoErrors, browserForThisFile, openPage, screenshot, signIn, visit } from '../lib/browser.js';

const RUN = 'window.__xss = (window.__xss || 0) + 1';
const PAYLOADS = {
  script: `<script>${RUN}</script>`,
  img: `<img src=x onerror="${RUN}">`,
  svg: `<svg onload="${RUN}"></svg>`,
  link: `javascript:${RUN}`,
  anchor: `<a href="javascript:${RUN}">click me</a>`,
  style: '<style>body{display:none}</style>',
  iframe: '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
};
// A stream id may hold letters, digits and . _ : @ - only: the nearest to a link it can be.
const STREAM = 'javascript:alert.1';

const chrome = browserForThisFile();
let token;
let tenant;
const eventIds = [];
const notes = [];
before(async () => {
  tenant = newTenant('xss');
  token = mintToken({ groups: 'arbor-admin', tenant });
  const api = new Api(token);
  const events = [
    { type: 'Hostile', data: PAYLOADS, metadata: { by: PAYLOADS.img }, tags: [PAYLOADS.script, `link:${PAYLOADS.link}`] },
    // A type may be markup too, if the server takes it.
    { type: `<img src=x onerror="${RUN}">`, data: { note: 'markup type' } },
    { type: 'javascript:alert(1)', data: { note: 'link type' } },
  ];
  for (const event of events) {
    try {
      const result = await api.append(STREAM, [event]);
      const [stored] = (await api.get(`/events?after=${result.fromPosition - 1}&limit=1`)).events;
      eventIds.push(stored.eventId);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 400)) throw error;
      notes.push(`the server refused type ${JSON.stringify(event.type)}: not shown`);
    }
  }
  await api.put(`/streams/${STREAM}/snapshot`, { version: 1, type: 'Hostile', data: PAYLOADS });
});

/** Fails if anything of the payloads ran or became an element. */
async function assertInert(page, where) {
  const found = await page.evaluate(() => ({
    ran: window.__xss ?? 0,
    alerted: window.__alerted ?? 0,
    images: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length,
    scripts: [...document.scripts].filter((script) => script.textContent.includes('__xss')).length,
    links: [...document.querySelectorAll('a[href]')].filter((a) => !a.getAttribute('href').startsWith('#')).map((a) => a.getAttribute('href')),
    frames: document.querySelectorAll('iframe').length,
    hidden: getComputedStyle(document.body).display === 'none',
  }));
  assert.deepEqual(found, { ran: 0, alerted: 0, images: 0, scripts: 0, links: [], frames: 0, hidden: false }, `${where}: the payloads stay inert`);
}

async function hostilePage() {
  const { page, errors } = await openPage(chrome.browser);
  // Any dialog or a call of alert() is a payload that ran.
  await page.addInitScript(() => {
    window.alert = window.confirm = window.prompt = () => {
      window.__alerted = (window.__alerted || 0) + 1;
    };
  });
  page.on('dialog', (dialog) => {
    errors.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });
  await signIn(page, token);
  return { page, errors };
}

test('hostile event data shows as text on the stream page', async () => {
  const { page, errors } = await hostilePage();
  await visit(page, `#/streams/${STREAM}`, `Stream ${STREAM}`);
  await page.getByRole('table', { name: 'Events' }).waitFor();
  const text = await page.locator('body').innerText();
  for (const [name, payload] of Object.entries(PAYLOADS)) {
    assert.ok(text.includes(JSON.stringify(payload).slice(1, -1)) || text.includes(payload), `${name} shown as text`);
  }
  await screenshot(page, 'xss-stream');
  await assertInert(page, 'stream page');
  // Every link is a place in the console (a route, the skip link), none made of event data.
  for (const href of await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
    assert.match(href, /^#/, `a place in the console, not ${href}`);
  }
  assertNoErrors(errors);
  for (const note of notes) console.log(`# ${note}`);
});

test('hostile data stays text in the streams list, the global log and the event page', async () => {
  const { page, errors } = await hostilePage();
  await visit(page, '#/streams', 'Streams');
  const box = page.getByLabel('Stream id prefix');
  await box.fill('javascript');
  await page.getByRole('button', { name: 'Search' }).click();
  const link = page.getByRole('table', { name: 'Streams' }).getByRole('link', { name: STREAM });
  await link.waitFor();
  assert.match(await link.getAttribute('href'), /^#\//, 'the stream link is an own route');
  await assertInert(page, 'streams list');

  await visit(page, '#/log', 'Global log');
  await page.getByRole('table', { name: 'Global log' }).getByText('Hostile').first().waitFor();
  await assertInert(page, 'global log');

  for (const eventId of eventIds) {
    await visit(page, `#/events/${eventId}`, `Event ${eventId}`);
    await page.locator('pre').first().waitFor();
    await assertInert(page, `event ${eventId}`);
  }
  await page.getByLabel('Event id').fill(eventIds[0]);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('pre').filter({ hasText: '<script>' }).first().waitFor();
  await assertInert(page, 'event by id');
  assertNoErrors(errors);
});

/** Runs `call`; a 400 (the server refused the hostile text) is noted instead of failing. */
async function unlessRefused(what, call) {
  try {
    await call();
    return true;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 400)) throw error;
    notes.push(`the server refused ${what}: not shown`);
    return false;
  }
}

test('hostile text stays text in the registry, a group, the live tail and a problem detail', async () => {
  const api = new Api(token);
  const TYPE = 'HostileSchema';
  const properties = Object.fromEntries(Object.entries(PAYLOADS).map(([name, payload]) => [payload, { type: 'string', description: `${name}: ${payload}` }]));
  await api.put(`/schemas/${TYPE}/compatibility`, { compatibility: 'NONE' });
  await api.put(`/schemas/${TYPE}/versions/1`, { type: 'object', description: PAYLOADS.anchor, properties });
  await api.put(`/schemas/${TYPE}/versions/2`, { type: 'object', title: PAYLOADS.svg, properties: { note: { type: 'string' } } });
  await unlessRefused('an upcaster holding markup', () =>
    api.put(`/schemas/${TYPE}/upcasters/1`, { operations: [{ op: 'add', path: '/note', value: PAYLOADS.script }] }),
  );
  const grouped = await unlessRefused('a group filter holding markup', () => api.put('/subscriptions/hostile', { filter: { type: PAYLOADS.img }, startFrom: 'end' }));

  const { page, errors } = await hostilePage();
  await visit(page, `#/registry/${TYPE}`, `Event type ${TYPE}`);
  await page.getByRole('table', { name: 'Versions' }).waitFor();
  await page.getByLabel('From version').selectOption('1');
  await page.getByLabel('To version').selectOption('2');
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.getByLabel('Differences').filter({ hasText: 'onerror' }).waitFor();
  await assertInert(page, 'registry type page');
  if (grouped) {
    await visit(page, '#/groups', 'Consumer groups');
    await page.getByRole('table', { name: 'Consumer groups' }).getByText('onerror').first().waitFor();
    await assertInert(page, 'groups list');
    await visit(page, '#/groups/hostile', 'Consumer group hostile');
    await page.locator('dl').getByText('onerror').first().waitFor();
    await assertInert(page, 'group page');
  }

  // Rows that arrive through the live tail (SSE frames), not a page read.
  await visit(page, '#/log', 'Global log');
  await page.getByRole('table', { name: 'Global log' }).getByText('Hostile').first().waitFor();
  await page.getByRole('button', { name: 'Follow live' }).click();
  await page.getByRole('status').filter({ hasText: 'live' }).waitFor();
  await api.append(STREAM, [{ type: 'HostileLive', data: PAYLOADS, metadata: { by: PAYLOADS.iframe } }]);
  await page.getByRole('table', { name: 'Global log' }).getByText('HostileLive').waitFor();
  await assertInert(page, 'live tail');

  // A problem detail that may echo the input: an event id that is markup (a 400 on purpose).
  await visit(page, '#/events', 'Event by id');
  await page.getByLabel('Event id').fill(PAYLOADS.img);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('alert').first().waitFor();
  await assertInert(page, 'a problem detail');
  assertNoErrors(errors.filter((error) => !/Failed to load resource: the server responded with a status of 400/.test(error)));
});
