// Every page at 1280x800 and 390x800: its heading, no error, no sideways scrolling, readable
// contrast, a screenshot; the navigation by keyboard; the registry's compare; the health charts;
// a reader's view.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Api, mintToken, newTenant, numberedEvents } from '../lib/arbor.js';
import { DESKTOP, NARROW, assertFitsAndReadable, assertNoErrors, browserForThisFile, eventually, expectHeading, openPage, screenshot, signIn, visit } from '../lib/browser.js';

const NAV = ['Streams', 'Global log', 'Event by id', 'Schema registry', 'Consumer groups', 'Store health'];
const TYPE = 'CustomerRegistered';

const chrome = browserForThisFile();
let tenant;
let adminToken;
let eventId;
before(async () => {
  tenant = newTenant('pages');
  adminToken = mintToken({ groups: 'arbor-admin', tenant });
  const api = new Api(adminToken);
  const v1 = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { name: { type: 'string' }, legacy: { type: 'string' } },
    required: ['name'],
  };
  const v2 = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { fullName: { type: 'string' }, currency: { type: 'string' } },
    required: ['fullName'],
  };
  await api.put(`/schemas/${TYPE}/compatibility`, { compatibility: 'NONE' });
  await api.put(`/schemas/${TYPE}/versions/1`, v1);
  await api.put(`/schemas/${TYPE}/versions/2`, v2);
  await api.put(`/schemas/${TYPE}/upcasters/1`, {
    operations: [
      { op: 'rename', path: '/name', to: 'fullName' },
      { op: 'remove', path: '/legacy' },
      { op: 'add', path: '/currency', value: 'EUR' },
    ],
  });
  const result = await api.append('customer-7', [
    { type: TYPE, schemaVersion: 2, data: { fullName: 'Ada Lovelace', currency: 'GBP' }, tags: ['customer:7'] },
    ...numberedEvents(3, 'Visited'),
  ]);
  eventId = (await api.get(`/events?after=${result.fromPosition - 1}&limit=1`)).events[0].eventId;
  await api.put('/streams/customer-7/snapshot', { version: 2, type: 'CustomerState', data: { visits: 1 } });
  await api.put('/subscriptions/mailer', { filter: { category: 'customer' }, startFrom: 'beginning' });
});

/** Every page: its route, its heading, and what shows that it loaded its data. */
function pages() {
  return [
    { name: 'streams', route: '#/streams', heading: 'Streams', ready: (page) => page.getByRole('table', { name: 'Streams' }).getByRole('link', { name: 'customer-7' }) },
    { name: 'stream', route: '#/streams/customer-7', heading: 'Stream customer-7', ready: (page) => page.getByRole('table', { name: 'Events' }).getByText(TYPE) },
    // The log opens at its end: later tests append more, so any row shows that it loaded.
    { name: 'global-log', route: '#/log', heading: 'Global log', ready: (page) => page.getByRole('table', { name: 'Global log' }).locator('tr[data-position]') },
    { name: 'event', route: `#/events/${eventId}`, heading: `Event ${eventId}`, ready: (page) => page.locator('pre').filter({ hasText: 'Ada Lovelace' }) },
    { name: 'event-by-id', route: '#/events', heading: 'Event by id', ready: (page) => page.getByLabel('Event id') },
    { name: 'registry', route: '#/registry', heading: 'Schema registry', ready: (page) => page.getByRole('table', { name: 'Event types' }).getByText(TYPE) },
    { name: 'registry-type', route: `#/registry/${TYPE}`, heading: `Event type ${TYPE}`, ready: (page) => page.getByRole('table', { name: 'Versions' }) },
    { name: 'groups', route: '#/groups', heading: 'Consumer groups', ready: (page) => page.getByRole('table', { name: 'Consumer groups' }).getByText('mailer') },
    { name: 'group', route: '#/groups/mailer', heading: 'Consumer group mailer', ready: (page) => page.locator('dl') },
    { name: 'health', route: '#/health', heading: 'Store health', ready: (page) => page.getByRole('img', { name: 'Append rate' }) },
  ];
}

for (const [width, viewport] of [['desktop', DESKTOP], ['narrow', NARROW]]) {
  test(`every page at ${viewport.width}x${viewport.height}: heading, data, no error, no sideways scrolling, AA contrast`, async () => {
    const { page, errors } = await openPage(chrome.browser, { viewport });
    await signIn(page, adminToken);
    for (const { name, route, heading, ready } of pages()) {
      await visit(page, route, heading);
      await ready(page).first().waitFor();
      await page.getByRole('navigation', { name: 'Console' }).waitFor();
      await screenshot(page, `${name}-${width}`);
      await assertFitsAndReadable(page, name);
      assert.deepEqual(errors, [], `${name}: no error`);
    }
    assertNoErrors(errors);
  });
}

test('the navigation is reachable with Tab and every link leads to its page', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, adminToken);
  await visit(page, '#/streams', 'Streams');
  await page.locator('body').focus();
  const reached = [];
  for (let i = 0; i < 40 && reached.length < NAV.length; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      return element?.closest('nav[aria-label="Console"]') ? element.textContent.trim() : null;
    });
    if (focused && !reached.includes(focused)) reached.push(focused);
  }
  assert.deepEqual(reached.filter((name) => NAV.includes(name)), NAV, 'Tab reaches every nav link, in order');
  const visible = await page.evaluate(() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
  });
  assert.ok(visible, 'the focused link shows its focus');

  const headings = { 'Global log': 'Global log', 'Schema registry': 'Schema registry', 'Consumer groups': 'Consumer groups', 'Store health': 'Store health', Streams: 'Streams' };
  for (const [link, heading] of Object.entries(headings)) {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: link }).focus();
    await page.keyboard.press('Enter');
    await expectHeading(page, heading);
  }
  assertNoErrors(errors);
});

test('the registry shows versions, compatibility and upcasters, and compares two versions', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, adminToken);
  await visit(page, '#/registry', 'Schema registry');
  await page.getByRole('table', { name: 'Event types' }).getByRole('link', { name: TYPE }).click();
  await expectHeading(page, `Event type ${TYPE}`);
  const versions = page.getByRole('table', { name: 'Versions' });
  await versions.waitFor();
  const body = () => page.locator('main, body').first().innerText();
  assert.match(await body(), /NONE/, 'the compatibility mode');
  assert.match(await body(), /rename/, 'the upcaster operations');
  await page.getByLabel('From version', { exact: true }).selectOption('1');
  await page.getByLabel('To version', { exact: true }).selectOption('2');
  const compareButton = page.getByRole('button', { name: 'Compare' });
  if (await compareButton.count()) await compareButton.click();
  const diff = page.getByLabel('Differences');
  await eventually(async () => /fullName/.test(await diff.textContent()) && /legacy/.test(await diff.textContent()), 'the diff names what changed');
  await screenshot(page, 'registry-compare');
  assertNoErrors(errors);
});

test('store health shows readiness and the four charts, which draw the appends as they happen', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, adminToken);
  await visit(page, '#/health', 'Store health');
  for (const label of ['Append rate', 'Append latency', 'Cache hit ratio', 'Connection pool use']) {
    await page.getByRole('img', { name: label }).waitFor();
  }
  assert.match(await page.locator('body').innerText(), /Readiness:\s*UP/, 'readiness shown');
  // A writer appends while the page samples /metrics: the rate and latency lines rise off zero.
  const api = new Api(adminToken);
  const lineHeights = (label) =>
    page
      .getByRole('img', { name: label })
      .locator('path.chart-line')
      .evaluateAll((paths) => paths.flatMap((path) => [...path.getAttribute('d').matchAll(/[ML]\s*[\d.]+\s+([\d.]+)/g)].map((m) => Number(m[1]))));
  const drawn = async (label) => {
    const ys = await lineHeights(label);
    return ys.length >= 2 && Math.min(...ys) !== Math.max(...ys);
  };
  await eventually(async () => {
    await api.append('health-1', numberedEvents(5, 'Beat'));
    return (await drawn('Append rate')) && (await drawn('Append latency'));
  }, 'the append rate and latency charts draw the appends', 30000);
  await screenshot(page, 'health-drawn', { fullPage: false });
  assertNoErrors(errors);
});

test('a reader is offered no admin action on any page', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, mintToken({ groups: 'arbor-reader', tenant }));
  for (const { route, heading, ready } of pages()) {
    await visit(page, route, heading);
    await ready(page).first().waitFor();
    const actions = await page
      .getByRole('button', { name: /reset|replay|delete|scavenge|register|archive/i })
      .allTextContents();
    assert.deepEqual(actions, [], `${route}: no admin action for a reader`);
  }
  assertNoErrors(errors);
});
