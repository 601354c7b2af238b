// Streams: search by prefix, page through the list, open a stream, page through its events.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Api, mintToken, newTenant, numberedEvents } from '../lib/arbor.js';
import { assertNoErrors, browserForThisFile, columnTexts, definition, eventually, expectHeading, openPage, screenshot, signIn, visit } from '../lib/browser.js';

const BIG = 'ledger-big';
const BIG_EVENTS = 230; // more than one page at any page size the console could sensibly choose
const SMALL = Array.from({ length: 60 }, (_, i) => `ledger-${String(i + 1).padStart(4, '0')}`);

const chrome = browserForThisFile();
let token;
before(async () => {
  const tenant = newTenant('streams');
  token = mintToken({ groups: 'arbor-writer', tenant });
  const api = new Api(token);
  await api.append(BIG, [
    { type: 'Opened', data: { owner: 'ada', limits: { daily: 100 } }, tags: ['customer:c1'] },
  ]);
  for (let first = 2; first <= BIG_EVENTS; first += 100) {
    await api.append(BIG, numberedEvents(Math.min(100, BIG_EVENTS - first + 1), 'Counted', first));
  }
  await api.put(`/streams/${BIG}/snapshot`, { version: 200, type: 'LedgerState', data: { total: 20100 } });
  await api.appendToStreams(Object.fromEntries(SMALL.map((id) => [id, [{ type: 'Opened', data: { id } }]])));
  await api.append('audit-1', [{ type: 'Noted', data: {} }]); // another prefix: never listed
});

/** Types `prefix` into the search box and waits for the streams table to list only such ids. */
async function searchStreams(page, prefix) {
  const box = page.getByLabel('Stream id prefix');
  await box.fill(prefix);
  await page.getByRole('button', { name: 'Search' }).click();
  const table = page.getByRole('table', { name: 'Streams' });
  await eventually(async () => {
    const ids = await table.getByRole('link').allTextContents();
    return ids.length > 0 && ids.every((id) => id.startsWith(prefix));
  }, `the streams table lists only ids starting with ${prefix}`);
  return table;
}

/** Clicks `Next page` while it is enabled, collecting `read()` of every page. */
async function everyPage(page, read, settled) {
  const pages = [await read()];
  for (;;) {
    const next = page.getByRole('button', { name: 'Next page' });
    if ((await next.count()) === 0 || (await next.isDisabled())) return pages;
    const before = JSON.stringify(pages.at(-1));
    await next.click();
    await eventually(async () => JSON.stringify(await settled()) !== before, 'the next page shows');
    pages.push(await read());
    assert.ok(pages.length < 100, 'paging ends');
  }
}

test('search streams by prefix and page through the list', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, token);
  await visit(page, '#/streams', 'Streams');
  const table = await searchStreams(page, 'ledger-0');
  await screenshot(page, 'streams');
  const ids = () => table.getByRole('link').allTextContents();
  const pages = await everyPage(page, ids, ids);
  assert.deepEqual(pages.flat(), SMALL, 'every matching stream once, in id order, across the pages');
  assert.ok(pages.length >= 1);
  if (pages.length > 1) {
    await page.getByRole('button', { name: 'Previous page' }).click();
    await eventually(async () => JSON.stringify(await ids()) === JSON.stringify(pages.at(-2)), 'Previous page goes back');
  }
  assertNoErrors(errors);
});

test('filter the streams by category', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, token);
  await visit(page, '#/streams', 'Streams');
  await page.getByLabel('Category').fill('audit');
  await page.getByRole('button', { name: 'Search' }).click();
  const table = page.getByRole('table', { name: 'Streams' });
  await eventually(
    async () => JSON.stringify(await table.getByRole('link').allTextContents()) === '["audit-1"]',
    'category audit lists audit-1 alone',
  );
  assertNoErrors(errors);
});

test('open a stream from the search: its info, events paged, data as JSON, tags, snapshot', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, token);
  await visit(page, '#/streams', 'Streams');
  const table = await searchStreams(page, 'ledger-b');
  await table.getByRole('link', { name: BIG }).click();
  await expectHeading(page, `Stream ${BIG}`);

  const info = page.locator('dl[aria-label="Stream info"]');
  await info.waitFor();
  assert.equal(await definition(info, 'Version'), String(BIG_EVENTS), 'the info shows the version');
  assert.equal(await definition(info, 'First version'), '1');

  const events = page.getByRole('table', { name: 'Events' });
  await events.waitFor();
  for (const column of ['Version', 'Position', 'Type', 'Schema version', 'Recorded', 'Tags', 'Hash']) {
    await events.getByRole('columnheader', { name: column }).first().waitFor();
  }
  await page.getByRole('heading', { name: 'Snapshot' }).waitFor();
  assert.match(await page.locator('body').textContent(), /LedgerState/);
  await screenshot(page, 'stream');

  const versions = () => columnTexts(page, 'Events', 'Version');
  const pages = await everyPage(page, versions, versions);
  const all = pages.flat().map(Number);
  assert.equal(new Set(all).size, all.length, 'no event twice across the pages');
  assert.deepEqual(
    [...all].sort((a, b) => a - b),
    Array.from({ length: BIG_EVENTS }, (_, i) => i + 1),
    'every version across the pages',
  );
  assert.ok(pages.length > 1, `${BIG_EVENTS} events take more than one page`);

  // Version 1 (on the first or the last page): its data pretty-printed, its tag shown.
  if (!(await versions()).includes('1')) {
    await page.getByRole('button', { name: 'Previous page' }).click();
    while (!(await versions()).includes('1')) {
      const previous = page.getByRole('button', { name: 'Previous page' });
      assert.ok(!(await previous.isDisabled()), 'version 1 is on some page');
      await previous.click();
      await page.waitForTimeout(300);
    }
  }
  const first = events.getByRole('row').filter({ has: page.getByRole('cell', { name: '1', exact: true }) }).filter({
    hasText: 'Opened',
  });
  assert.match(await first.textContent(), /customer:c1/, 'tags shown');
  const data = await page.locator('pre').filter({ hasText: '"owner"' }).first().textContent();
  assert.deepEqual(JSON.parse(data), { owner: 'ada', limits: { daily: 100 } }, 'data shown as JSON text');
  assert.ok(data.includes('\n'), 'pretty-printed over several lines');
  // The hash and schema version shown are the event's (the hash in full in the cell's title).
  const [stored] = (await new Api(token).get(`/streams/${BIG}/events?from=1&limit=1`)).events;
  if (stored.hash) assert.equal(await first.locator('code[title]').getAttribute('title'), stored.hash, 'the hash shown is the event\'s');
  else assert.equal(await first.locator('code[title]').count(), 0, 'no hash shown for an event without one');
  const schemaVersions = await columnTexts(page, 'Events', 'Schema version');
  const versionsShown = await versions();
  assert.equal(schemaVersions[versionsShown.indexOf('1')], stored.schemaVersion == null ? '—' : String(stored.schemaVersion), 'the schema version shown');

  // Newest: the last page of versions, from the head back.
  await page.getByRole('button', { name: 'Newest' }).click();
  await eventually(async () => (await versions())[0] === String(BIG_EVENTS - 19), 'the newest page');
  assert.deepEqual((await versions()).map(Number), Array.from({ length: 20 }, (_, i) => BIG_EVENTS - 19 + i), 'the newest 20 versions');
  assert.ok(await page.getByRole('button', { name: 'Next page' }).isDisabled(), 'nothing after the newest page');
  await page.getByRole('button', { name: 'Oldest' }).click();
  await eventually(async () => (await versions())[0] === '1', 'back to the oldest page');
  assertNoErrors(errors);
});
