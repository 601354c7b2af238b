// The global log's live tail: every event a writer appends appears once, in order, while it
// follows; nothing while paused, then everything after resume; and after a dropped connection.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Api, SERVER_URL, mintToken, newTenant } from '../lib/arbor.js';
import { assertNoErrors, browserForThisFile, eventually, openPage, screenshot, signIn, visit } from '../lib/browser.js';
import { startRelay } from '../lib/relay.js';

const chrome = browserForThisFile();
let relay;
before(async () => {
  relay = await startRelay(SERVER_URL);
});
after(async () => {
  await relay?.close();
});

/** The data-position of every row of the global log table, top to bottom. */
function shownPositions(page) {
  return page
    .getByRole('table', { name: 'Global log' })
    .locator('tr[data-position]')
    .evaluateAll((rows) => rows.map((row) => Number(row.dataset.position)));
}

/** Waits until every one of `positions` is shown, then checks each is shown once, in order. */
async function expectShownOnceInOrder(page, positions, what) {
  await eventually(async () => {
    const shown = new Set(await shownPositions(page));
    return positions.every((position) => shown.has(position));
  }, `${what}: every appended event shows in the live tail`);
  const shown = await shownPositions(page);
  assert.equal(new Set(shown).size, shown.length, `${what}: no row twice (${shown})`);
  const ours = shown.filter((position) => positions.includes(position));
  assert.deepEqual(ours, positions, `${what}: the appended events in the order they were appended`);
}

function status(page) {
  return page.getByRole('status');
}

async function expectStatus(page, pattern, what) {
  await eventually(async () => pattern.test((await status(page).allTextContents()).join(' ')), `status ${what}`, 30000);
}

/** Appends `count` deposits, one request each, alternating two streams; answers their positions. */
async function write(api, count, label) {
  const positions = [];
  for (let i = 1; i <= count; i++) {
    const stream = i % 2 ? 'account-17' : 'account-42';
    const result = await api.append(stream, [{ type: 'Deposited', data: { amount: i * 10, currency: 'EUR', note: `${label} ${i}` } }]);
    positions.push(result.fromPosition);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return positions;
}

test('follow the live tail while a writer appends; pause, resume; reconnect after a dropped connection', async () => {
  const tenant = newTenant('tail');
  const writer = new Api(mintToken({ groups: 'arbor-writer', tenant }));
  await writer.append('account-17', [{ type: 'Opened', data: { owner: 'ada' } }]);
  await writer.append('account-42', [{ type: 'Opened', data: { owner: 'grace' } }]);

  const { page, errors } = await openPage(chrome.browser, { serverUrl: relay.url });
  await signIn(page, mintToken({ groups: 'arbor-reader', tenant }));
  await visit(page, '#/log', 'Global log');
  await page.getByRole('table', { name: 'Global log' }).waitFor();

  await page.getByRole('button', { name: 'Follow live' }).click();
  await expectStatus(page, /live/i, 'live after Follow live');
  const followed = await write(writer, 20, 'followed');
  await expectShownOnceInOrder(page, followed, 'following');
  await screenshot(page, 'live-tail', { fullPage: false }); // the window: docs/images/console-live-tail.png

  await page.getByRole('button', { name: 'Pause' }).click();
  await expectStatus(page, /paused/i, 'paused after Pause');
  const whilePaused = await write(writer, 5, 'paused');
  await page.waitForTimeout(1500);
  const shownWhilePaused = await shownPositions(page);
  assert.deepEqual(
    whilePaused.filter((position) => shownWhilePaused.includes(position)),
    [],
    'nothing appended while paused shows before Resume',
  );
  await screenshot(page, 'live-tail-paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expectStatus(page, /live/i, 'live after Resume');
  await expectShownOnceInOrder(page, [...followed, ...whilePaused], 'after resume');

  relay.cut({ refuse: true }); // the connection drops and cannot come back yet
  await expectStatus(page, /reconnecting/i, 'reconnecting while the connection is down');
  await screenshot(page, 'live-tail-reconnecting');
  const whileDown = await write(writer, 5, 'down');
  relay.restore();
  await expectStatus(page, /live/i, 'live again once the connection is back');
  await expectShownOnceInOrder(page, [...followed, ...whilePaused, ...whileDown], 'after reconnecting');
  const more = await write(writer, 5, 'after');
  await expectShownOnceInOrder(page, [...followed, ...whilePaused, ...whileDown, ...more], 'after reconnecting, live');

  // What the tail shows is the log: nothing invented, nothing of another tenant.
  const logged = new Set((await writer.allEvents()).map((event) => event.globalPosition));
  const shown = await shownPositions(page);
  assert.deepEqual(shown.filter((position) => !logged.has(position)), [], 'every row is an event of the log');
  // Chromium logs the connections the relay dropped or refused; anything else is an error.
  assertNoErrors(errors.filter((error) => !/^console.error: Failed to load resource: net::ERR_/.test(error)));
});

/** The Stream and Type cells of every row of the global log table. */
function shownRows(page) {
  return page
    .getByRole('table', { name: 'Global log' })
    .locator('tr[data-position]')
    .evaluateAll((rows) => rows.map((row) => row.textContent));
}

test('the global log filters by category and type, in history and live', async () => {
  const tenant = newTenant('filters');
  const writer = new Api(mintToken({ groups: 'arbor-writer', tenant }));
  const history = [];
  for (const [stream, type] of [['order-1', 'Placed'], ['invoice-1', 'Issued'], ['order-2', 'Placed'], ['order-1', 'Shipped']]) {
    history.push({ stream, type, position: (await writer.append(stream, [{ type, data: { stream } }])).fromPosition });
  }
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, mintToken({ groups: 'arbor-reader', tenant }));
  await visit(page, '#/log', 'Global log');
  await page.getByLabel('Category').fill('order');
  await page.getByLabel('Event type').fill('Placed');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const placedOrders = history.filter((e) => e.stream.startsWith('order-') && e.type === 'Placed').map((e) => e.position);
  await eventually(
    async () => JSON.stringify(await shownPositions(page)) === JSON.stringify(placedOrders),
    'only the Placed events of category order',
  );
  await screenshot(page, 'global-log-filtered');

  await page.getByRole('button', { name: 'Follow live' }).click();
  await expectStatus(page, /live/i, 'live with filters');
  const live = [];
  for (const [stream, type] of [['order-3', 'Placed'], ['invoice-2', 'Placed'], ['order-3', 'Shipped'], ['order-4', 'Placed']]) {
    const position = (await writer.append(stream, [{ type, data: { stream } }])).fromPosition;
    if (stream.startsWith('order-') && type === 'Placed') live.push(position);
  }
  await expectShownOnceInOrder(page, [...placedOrders, ...live], 'filtered live tail');
  const rows = await shownRows(page);
  assert.equal(rows.length, placedOrders.length + live.length, `only matching rows (${rows.join(' | ')})`);
  assert.ok(rows.every((row) => row.includes('Placed') && row.includes('order-')), 'every row is a Placed order');
  assertNoErrors(errors);
});

test('Pause while reconnecting holds until Resume; quick Pause/Resume while a writer appends loses and repeats nothing', async () => {
  const tenant = newTenant('pause');
  const writer = new Api(mintToken({ groups: 'arbor-writer', tenant }));
  await writer.append('account-17', [{ type: 'Opened', data: { owner: 'ada' } }]);
  const { page, errors } = await openPage(chrome.browser, { serverUrl: relay.url });
  await signIn(page, mintToken({ groups: 'arbor-reader', tenant }));
  await visit(page, '#/log', 'Global log');
  await page.getByRole('table', { name: 'Global log' }).locator('tr[data-position]').first().waitFor();
  const button = page.locator('.tail-controls button');

  await button.click(); // Follow live
  await expectStatus(page, /live/i, 'live');
  relay.cut({ refuse: true });
  await expectStatus(page, /reconnecting/i, 'reconnecting while the connection is down');
  await button.click(); // Pause, during reconnecting
  await expectStatus(page, /paused/i, 'paused while reconnecting');
  relay.restore();
  const whilePaused = await write(writer, 4, 'paused');
  await page.waitForTimeout(3000); // past any retry delay: a pending retry must not reconnect
  assert.match((await status(page).textContent()) ?? '', /paused/, 'still paused once the connection could come back');
  const shownPaused = await shownPositions(page);
  assert.deepEqual(whilePaused.filter((position) => shownPaused.includes(position)), [], 'nothing shows while paused');
  await button.click(); // Resume
  await expectShownOnceInOrder(page, whilePaused, 'after Resume');

  // A writer appends while the tail is paused and resumed quickly, again and again.
  const writing = write(writer, 30, 'churn');
  for (let i = 0; i < 12; i++) {
    await button.click();
    await page.waitForTimeout(40 + (i % 3) * 60);
  }
  const churn = await writing;
  if (/Resume|Follow live/.test(await button.textContent())) await button.click();
  await expectStatus(page, /live/i, 'live at the end');
  await expectShownOnceInOrder(page, [...whilePaused, ...churn], 'after quick Pause/Resume');
  assertNoErrors(errors.filter((error) => !/^console.error: Failed to load resource: net::ERR_/.test(error)));
});

test('the log opens at its end, follows from there, and pages from the beginning with the keyboard', async () => {
  const tenant = newTenant('head');
  const writer = new Api(mintToken({ groups: 'arbor-writer', tenant }));
  const result = await writer.append('ledger-1', Array.from({ length: 130 }, (_, i) => ({ type: 'Counted', data: { n: i + 1 } })));
  const first = result.fromPosition;
  const last = first + 129;
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, mintToken({ groups: 'arbor-reader', tenant }));
  await visit(page, '#/log', 'Global log');
  await eventually(async () => (await shownPositions(page)).includes(last), 'the newest event shows on opening');
  // The newest events, in order, at most a page (fewer when other tenants' events sit between).
  const opened = await shownPositions(page);
  assert.ok(opened.length >= 1 && opened.length <= 50, `at most one page (${opened.length})`);
  assert.deepEqual(opened, Array.from({ length: opened.length }, (_, i) => last - opened.length + 1 + i), 'the newest events, in order');

  await page.getByRole('button', { name: 'Follow live' }).click();
  await expectStatus(page, /live/i, 'live');
  const live = await write(writer, 3, 'live');
  await expectShownOnceInOrder(page, [...opened, ...live], 'following from the end');
  assert.equal((await shownPositions(page)).length, opened.length + 3, 'no history pushed through the table');

  await page.getByRole('link', { name: 'From the beginning' }).click();
  await eventually(async () => (await shownPositions(page))[0] === first, 'from the beginning shows the first event');
  const next = page.getByRole('button', { name: 'Next page' });
  await next.focus();
  await page.keyboard.press('Enter');
  await eventually(async () => (await shownPositions(page))[0] === first + 50, 'the second page');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Next page', 'focus stays on Next page');
  await page.keyboard.press('Enter');
  await eventually(async () => (await shownPositions(page))[0] === first + 100, 'the third page, by keyboard again');
  assertNoErrors(errors);
});
