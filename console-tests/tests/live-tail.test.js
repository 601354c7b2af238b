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
