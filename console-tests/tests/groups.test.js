// Consumer groups: lag, in flight and parked move as consumers fetch and ack; admins replay parked
// events and reset a group (after a confirm step); readers are offered neither.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Api, mintToken, newTenant, numberedEvents } from '../lib/arbor.js';
import { assertNoErrors, browserForThisFile, columnTexts, definition, eventually, expectHeading, openPage, screenshot, signIn, visit } from '../lib/browser.js';

const GROUP = 'billing';
const chrome = browserForThisFile();
let tenant;
let admin;
let adminToken;
before(async () => {
  tenant = newTenant('groups');
  adminToken = mintToken({ groups: 'arbor-admin', tenant });
  admin = new Api(adminToken);
  await admin.put(`/subscriptions/${GROUP}`, { filter: { category: 'invoice' }, startFrom: 'beginning' });
  await admin.put('/subscriptions/shipping', { filter: { category: 'parcel' }, startFrom: 'end' });
});

/**
 * The value of `term` in the group page's <dl>, waiting (no reload: the page refreshes itself
 * every 3 s, which this tests) until `accept(value)` holds.
 */
async function groupFigure(page, term, accept, what) {
  return eventually(async () => {
    const value = await definition(page.locator('dl'), term);
    return value !== null && accept(value) ? value : false;
  }, `the group page shows ${what} (refreshing itself)`, 12000);
}

const number = (text) => Number(text.replace(/[^\d]/g, ''));

test("a consumer group's lag moves as events are appended, fetched and acked", async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, adminToken);
  const appended = await admin.append('invoice-1', numberedEvents(6, 'Issued'));
  assert.equal(appended.toVersion, 6);

  await visit(page, '#/groups', 'Consumer groups');
  const table = page.getByRole('table', { name: 'Consumer groups' });
  await table.getByRole('link', { name: GROUP }).waitFor();
  for (const column of ['Group', 'Lag', 'In flight', 'Parked', 'Consumers']) {
    await table.getByRole('columnheader', { name: column }).waitFor();
  }
  const groups = await columnTexts(page, 'Consumer groups', 'Group');
  const lags = await columnTexts(page, 'Consumer groups', 'Lag');
  assert.ok(number(lags[groups.indexOf(GROUP)]) > 0, `lag > 0 after appends (${lags})`);
  await screenshot(page, 'groups');

  await table.getByRole('link', { name: GROUP }).click();
  await expectHeading(page, `Consumer group ${GROUP}`);
  await groupFigure(page, 'Lag', (lag) => number(lag) > 0, 'a lag > 0');

  const fetched = await admin.post(`/subscriptions/${GROUP}/fetch`, { consumer: 'c-1', max: 10, waitSeconds: 5 });
  assert.equal(fetched.events.length, 6);
  await groupFigure(page, 'In flight', (inFlight) => number(inFlight) === 6, '6 in flight after a fetch');
  await groupFigure(page, 'Consumers', (consumers) => /1|c-1/.test(consumers), 'the consumer');
  await screenshot(page, 'group');

  // One event parked, the others acked: lag back to 0, one parked.
  const [parked, ...rest] = fetched.events.map((event) => event.eventId);
  await admin.post(`/subscriptions/${GROUP}/nack`, { consumer: 'c-1', eventIds: [parked], action: 'park' });
  await admin.post(`/subscriptions/${GROUP}/ack`, { consumer: 'c-1', eventIds: rest });
  await groupFigure(page, 'Lag', (lag) => number(lag) === 0, 'lag 0 once every event is acked or parked');
  await groupFigure(page, 'Parked', (count) => number(count) === 1, 'one parked event');
  assertNoErrors(errors);
});

test('an admin replays parked events and resets a group after confirming', async () => {
  const group = 'replaying';
  await admin.put(`/subscriptions/${group}`, { filter: { category: 'refund' }, startFrom: 'beginning' });
  await admin.append('refund-1', numberedEvents(3, 'Refunded'));
  const fetched = await admin.post(`/subscriptions/${group}/fetch`, { consumer: 'c-1', max: 10, waitSeconds: 5 });
  const ids = fetched.events.map((event) => event.eventId);
  await admin.post(`/subscriptions/${group}/nack`, { consumer: 'c-1', eventIds: [ids[0]], action: 'park' });
  await admin.post(`/subscriptions/${group}/ack`, { consumer: 'c-1', eventIds: ids.slice(1) });
  assert.equal((await admin.get(`/subscriptions/${group}`)).parked, 1);

  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, adminToken);
  await visit(page, `#/groups/${group}`, `Consumer group ${group}`);
  await page.getByRole('button', { name: 'Replay parked' }).click();
  await eventually(async () => (await admin.get(`/subscriptions/${group}`)).parked === 0, 'Replay parked replays it');

  // Reset asks first: nothing happens until Confirm reset.
  const lagBefore = (await admin.get(`/subscriptions/${group}`)).lag;
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByLabel('Reset to').selectOption('beginning');
  const confirm = page.getByRole('button', { name: 'Confirm reset' });
  await confirm.waitFor();
  await screenshot(page, 'group-reset-confirm');
  assert.equal((await admin.get(`/subscriptions/${group}`)).lag, lagBefore, 'no reset before the confirmation');
  await confirm.click();
  await eventually(async () => (await admin.get(`/subscriptions/${group}`)).checkpoint === 0, 'Confirm reset resets the group to the beginning');
  assertNoErrors(errors);
});

test('a reader sees the numbers but is offered no group action', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, mintToken({ groups: 'arbor-reader', tenant }));
  await visit(page, `#/groups/${GROUP}`, `Consumer group ${GROUP}`);
  await page.locator('dl').waitFor();
  for (const name of ['Replay parked', 'Reset', 'Confirm reset']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `no ${name} button for a reader`);
  }
  await visit(page, '#/groups', 'Consumer groups');
  await page.getByRole('table', { name: 'Consumer groups' }).getByRole('link', { name: GROUP }).waitFor();
  assert.equal(await page.getByRole('button', { name: /reset|replay|delete/i }).count(), 0, 'no admin action on the list');
  assertNoErrors(errors);
});

test('the 3 s refresh keeps the keyboard focus', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, adminToken);
  await visit(page, '#/groups', 'Consumer groups');
  const link = page.getByRole('table', { name: 'Consumer groups' }).getByRole('link', { name: GROUP, exact: true });
  await link.focus();
  await page.waitForTimeout(4000); // past a refresh, which redraws the table
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), GROUP, 'the group link still has the focus');
  await page.keyboard.press('Enter');
  await expectHeading(page, `Consumer group ${GROUP}`);
  assertNoErrors(errors);
});

test('parked events page 20 at a time, and the page shown stays across refreshes', async () => {
  const group = 'pages-of-parked';
  await admin.put(`/subscriptions/${group}`, { filter: { category: 'receipt' }, startFrom: 'end', maxInFlight: 100 });
  const appended = await admin.append('receipt-1', numberedEvents(25, 'Printed'));
  assert.equal(appended.toVersion, 25);
  const fetched = [];
  for (let i = 0; i < 10 && fetched.length < 25; i++) {
    fetched.push(...(await admin.post(`/subscriptions/${group}/fetch`, { consumer: 'c-1', max: 25, waitSeconds: 5 })).events);
  }
  assert.equal(fetched.length, 25, 'every event fetched');
  await admin.post(`/subscriptions/${group}/nack`, { consumer: 'c-1', eventIds: fetched.map((e) => e.eventId), action: 'park' });
  await eventually(async () => (await admin.get(`/subscriptions/${group}`)).parked === 25, 'all 25 parked');
  const positions = fetched.map((e) => String(e.globalPosition)).sort((a, b) => Number(a) - Number(b));

  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, adminToken);
  await visit(page, `#/groups/${group}`, `Consumer group ${group}`);
  const shown = () => columnTexts(page, 'Parked events', 'Position');
  await eventually(async () => (await page.getByRole('table', { name: 'Parked events' }).count()) === 1 && (await shown()).length === 20, 'the first 20 parked');
  assert.deepEqual(await shown(), positions.slice(0, 20));
  const next = page.getByRole('group', { name: 'Parked event pages' }).getByRole('button', { name: 'Next page' });
  await next.click();
  await eventually(async () => JSON.stringify(await shown()) === JSON.stringify(positions.slice(20)), 'the last 5 parked');
  await page.waitForTimeout(4000); // past a refresh: still the second page
  assert.deepEqual(await shown(), positions.slice(20), 'the refresh keeps the page shown');
  await page.getByRole('group', { name: 'Parked event pages' }).getByRole('button', { name: 'Previous page' }).click();
  await eventually(async () => JSON.stringify(await shown()) === JSON.stringify(positions.slice(0, 20)), 'back to the first 20');
  assertNoErrors(errors);
});
