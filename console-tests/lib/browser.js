// The browser side of the console tests: Debian's Chromium, headless, driven by playwright-core
// (which never downloads a browser); a page that records every error; sign-in; screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { CONSOLE_PATH, SERVER_URL } from './arbor.js';

export const DESKTOP = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 800 };
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'screenshots');

/**
 * Chromium as Debian ships it (ARBOR_CHROMIUM overrides the path), with no sandbox (tests run as
 * root on CI machines) and nothing that reaches the network on its own. Playwright gives every
 * launch a fresh, temporary user-data directory, so no profile state carries between runs.
 */
export function launch() {
  return chromium.launch({
    executablePath: process.env.ARBOR_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * The browser of one test file: launched before its first test, closed after its last; read
 * `.browser` inside a test.
 */
export function browserForThisFile() {
  const holder = { browser: undefined };
  before(async () => {
    holder.browser = await launch();
  });
  after(() => holder.browser?.close());
  return holder;
}

/**
 * A page in a new context (its own sessionStorage) whose problems are collected in `errors`: every
 * console error (Chromium's own "Failed to load resource" line for any answer of 400 or more too:
 * the console asks only for what exists) and uncaught exception, every answer of 500 or more,
 * every request that leaves the server's origin (the console loads nothing from elsewhere).
 */
export async function openPage(browser, { viewport = DESKTOP, serverUrl = SERVER_URL } = {}) {
  const context = await browser.newContext({ viewport, baseURL: serverUrl });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`${response.status()} from ${response.url()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(serverUrl) && !request.url().startsWith('data:')) {
      errors.push(`request off the server's origin: ${request.url()}`);
    }
  });
  return { context, page, errors };
}

/** Fails with every problem the page recorded. */
export function assertNoErrors(errors) {
  assert.deepEqual(errors, [], `the page had errors:\n${errors.join('\n')}`);
}

/** Opens a console route (`#/streams`, ...) and waits for its heading. */
export async function visit(page, route, heading) {
  await page.goto(`${CONSOLE_PATH}${route}`);
  if (heading !== undefined) await expectHeading(page, heading);
}

/** Waits for the page's single <h1> to read `heading` (a string or a RegExp). */
export async function expectHeading(page, heading) {
  const h1 = page.getByRole('heading', { level: 1 });
  await h1.filter({ hasText: heading }).waitFor();
  assert.equal(await h1.count(), 1, 'one <h1> per page');
}

/** Signs in through the sign-in page with a pasted token; waits until the console shows it. */
export async function signIn(page, token) {
  await visit(page, '#/signin', 'Sign in');
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Saves a screenshot to target/screenshots/NAME.png: the whole page, or with `fullPage: false` the window. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** The texts of one column (by header name) of the table with `caption`, top to bottom. */
export async function columnTexts(page, caption, column) {
  const table = page.getByRole('table', { name: caption });
  return table.evaluate((element, header) => {
    const headers = [...element.querySelectorAll('thead th, tr:first-child th')].map((th) => th.textContent.trim());
    const index = headers.indexOf(header);
    if (index < 0) throw new Error(`no column ${header} in ${headers.join(', ')}`);
    return [...element.querySelectorAll('tbody tr')].map((row) => row.cells[index]?.textContent.trim() ?? '');
  }, column);
}

/** The text of the <dd> that follows the <dt> reading `term` in `list` (a <dl> locator), or null. */
export function definition(list, term) {
  return list.evaluate((dl, wanted) => {
    const dt = [...dl.querySelectorAll('dt')].find((element) => element.textContent.trim() === wanted);
    let dd = dt?.nextElementSibling;
    while (dd && dd.tagName !== 'DD') dd = dd.nextElementSibling;
    return dd ? dd.textContent.trim() : null;
  }, term);
}

/** Fails when the page (named `name`) scrolls sideways in its window or has text too faint to read. */
export async function assertFitsAndReadable(page, name) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${name}: the page is ${overflow} px wider than the ${page.viewportSize().width} px window`);
  assert.deepEqual(await lowContrastTexts(page), [], `${name}: every text readable (WCAG AA contrast)`);
}

/**
 * Every visible text on the page whose contrast with the background behind it is below WCAG 2's
 * AA level (4.5:1; 3:1 for large text: 24 px, or 18.66 px bold). Disabled controls are exempt, as
 * WCAG exempts them. The background is the first opaque one among the element and its ancestors.
 */
export function lowContrastTexts(page) {
  return page.evaluate(() => {
    const rgba = (color) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]) => {
      const channel = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element) => {
      for (let node = element; node; node = node.parentElement) {
        const color = rgba(getComputedStyle(node).backgroundColor);
        if (color.length === 3 || color[3] === 1) return color;
      }
      return [255, 255, 255];
    };
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const element = text.parentElement;
      if (!text.textContent.trim() || !element || element.closest('[disabled], [aria-disabled="true"], svg')) continue;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      if (style.visibility !== 'visible' || box.width === 0 || box.height === 0 || element.closest('[hidden]')) continue;
      const fore = luminance(rgba(style.color));
      const back = luminance(background(element));
      const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        found.push(`"${text.textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}:1 (${style.color} on ${getComputedStyle(element).backgroundColor})`);
      }
    }
    return found;
  });
}

/** Polls `probe` until it returns a truthy value (answered) or `timeoutMs` passes (fails with `message`). */
export async function eventually(probe, message, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`${message} (after ${timeoutMs} ms; last: ${JSON.stringify(last)})`);
}
