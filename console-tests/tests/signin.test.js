// Sign-in with a pasted token, the token kept in sessionStorage only, sign-out, a refused token.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mintToken, newTenant } from '../lib/arbor.js';
import { NARROW, assertFitsAndReadable, assertNoErrors, browserForThisFile, expectHeading, openPage, screenshot, visit } from '../lib/browser.js';

const chrome = browserForThisFile();

test('a pasted token signs in, lives in sessionStorage only, and sign-out forgets it', async () => {
  const token = mintToken({ groups: 'arbor-reader', tenant: newTenant('signin'), subject: 'ada' });
  const { page, errors } = await openPage(chrome.browser);
  await visit(page, '#/signin', 'Sign in');
  await screenshot(page, 'signin');
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByText('ada').first().waitFor(); // the subject, decoded from the token
  const storage = await page.evaluate(() => ({
    session: Object.values(sessionStorage),
    local: Object.values(localStorage),
    cookies: document.cookie,
  }));
  assert.ok(storage.session.some((value) => value.includes(token)), 'the token is in sessionStorage');
  assert.ok(!storage.local.some((value) => value.includes(token)), 'never in localStorage');
  assert.equal(storage.cookies, '', 'never in a cookie');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectHeading(page, 'Sign in');
  assert.deepEqual(
    await page.evaluate(() => Object.values(sessionStorage).filter((value) => value.includes('.'))),
    [],
    'sign-out clears the token',
  );
  await visit(page, '#/streams');
  await expectHeading(page, 'Sign in'); // a page with data needs a token
  assertNoErrors(errors);
});

test('a token the server refuses sends you back to sign-in with a message', async () => {
  // Signed with a key the server does not trust: well-formed, so only the server can refuse it.
  const keyDir = mkdtempSync(join(tmpdir(), 'arbor-console-key-'));
  const key = join(keyDir, 'foreign.pem');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const foreign = mintToken({ groups: 'arbor-admin', tenant: newTenant('foreign'), key });
  const { page, errors } = await openPage(chrome.browser);
  await visit(page, '#/signin', 'Sign in');
  await page.getByLabel('Token').fill(foreign);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Refused when the console tries it (at sign-in, or on the first page's 401): back to sign-in.
  await page.getByRole('alert').first().waitFor();
  await expectHeading(page, 'Sign in');
  assert.match(await page.getByRole('alert').first().textContent(), /\S/, 'the alert says why');
  await screenshot(page, 'signin-refused');
  // The reason comes from the console itself, never from the address: a link cannot set it.
  await visit(page, '#/signin?message=Your%20account%20is%20locked%2C%20call%20555', 'Sign in');
  assert.equal(await page.getByText('call 555').count(), 0, 'no message taken from the address');
  assert.ok(
    !(await page.evaluate(() => Object.values(sessionStorage))).some((value) => value.includes(foreign)),
    'a refused token is forgotten',
  );
  // The server's 401 is the point here; Chromium logs it as a failed resource.
  assertNoErrors(errors.filter((error) => !/^console.error: Failed to load resource: .* status of 401/.test(error)));
});

test('the sign-in page at 1280x800 and 390x800, its message included', async () => {
  const { page, errors } = await openPage(chrome.browser, { viewport: NARROW });
  await visit(page, '#/signin', 'Sign in');
  await assertFitsAndReadable(page, 'sign-in');
  await screenshot(page, 'signin-narrow');
  await page.getByLabel('Token').fill('not a token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').first().waitFor();
  await assertFitsAndReadable(page, 'sign-in with its message');
  await page.setViewportSize({ width: 1280, height: 800 });
  await assertFitsAndReadable(page, 'sign-in at 1280');
  assertNoErrors(errors);
});

test('a string that is not a token is refused on the sign-in page', async () => {
  const { page, errors } = await openPage(chrome.browser);
  await visit(page, '#/signin', 'Sign in');
  await page.getByLabel('Token').fill('not a token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').first().waitFor();
  await expectHeading(page, 'Sign in');
  assertNoErrors(errors);
});
