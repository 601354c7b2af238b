// Event data is shown as the server wrote it: numbers a JavaScript double cannot hold exactly
// (more digits, trailing zeros, beyond the double range) keep their text on every page that
// shows data, the global log's live tail included.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import { Api, mintToken, newTenant } from '../lib/arbor.js';
import { assertNoErrors, browserForThisFile, eventually, openPage, signIn, visit } from '../lib/browser.js';

const NUMBERS = { big: '12345678901234567890', scaled: '1.10', huge: '1e400' };
const STREAM = 'meter-1';

const chrome = browserForThisFile();
let api;
let token;
let shown; // each number's text as GET /events answers it
let eventId;
before(async () => {
  const tenant = newTenant('numbers');
  token = mintToken({ groups: 'arbor-writer', tenant });
  api = new Api(token);
  await appendMeasured();
  const text = await api.requestText('GET', '/events?after=0&limit=1');
  shown = Object.fromEntries(Object.keys(NUMBERS).map((name) => [name, text.match(new RegExp(`"${name}":\\s*([-0-9.eE+]+)`))[1]]));
  eventId = JSON.parse(text).events[0].eventId;
});

/** Appends one event whose data holds NUMBERS, written as JSON text (JSON.stringify would round them). */
function appendMeasured() {
  const data = Object.entries(NUMBERS).map(([name, number]) => `"${name}": ${number}`).join(', ');
  return api.requestText('POST', `/streams/${STREAM}/events`, `{"expectedVersion": "any", "events": [{"eventId": "${randomUUID()}", "type": "Measured", "data": {${data}}}]}`);
}

/** Checks that the first <pre> holding "big" shows every number as the server wrote it. */
async function expectNumbersShown(page, where) {
  const pre = page.locator('pre').filter({ hasText: '"big"' }).first();
  await pre.waitFor();
  const text = await pre.textContent();
  for (const [name, number] of Object.entries(shown)) {
    assert.ok(text.includes(`"${name}": ${number}`), `${where}: ${name} shown as ${number}, in\n${text}`);
  }
}

test('numbers in event data are shown exactly as the server wrote them', async () => {
  // What the store answers: the first two as written; 1e400 as written or as its digits.
  assert.equal(shown.big, NUMBERS.big);
  assert.equal(shown.scaled, NUMBERS.scaled);
  assert.ok(shown.huge === '1e400' || /^10{400}$/.test(shown.huge), `1e400 stored as ${shown.huge.slice(0, 20)}…`);
  const { page, errors } = await openPage(chrome.browser);
  await signIn(page, token);
  await visit(page, `#/streams/${STREAM}`, `Stream ${STREAM}`);
  await expectNumbersShown(page, 'stream page');
  await visit(page, `#/events/${eventId}`, `Event ${eventId}`);
  await expectNumbersShown(page, 'event page');
  await visit(page, '#/log', 'Global log');
  await expectNumbersShown(page, 'global log');
  // Through the live tail (SSE frames) too: follow, append another, see both.
  await page.getByRole('button', { name: 'Follow live' }).click();
  await eventually(async () => /live/.test(await page.getByRole('status').textContent()), 'the tail is live');
  await appendMeasured();
  await eventually(async () => (await page.locator('pre').filter({ hasText: '"big"' }).count()) === 2, 'the appended event arrives');
  const texts = await page.locator('pre').filter({ hasText: '"big"' }).allTextContents();
  for (const [name, number] of Object.entries(shown)) {
    assert.ok(texts[1].includes(`"${name}": ${number}`), `live tail: ${name} shown as ${number}`);
  }
  assertNoErrors(errors);
});
