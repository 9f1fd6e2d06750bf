// Headless Chromium (Debian's package, not a downloaded build) driven by playwright-core, and
// page helpers shared by the browser tests.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { after, before } from 'node:test';

import { PASSWORD, startServer } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');

/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = process.env.LAJNA_SCREENSHOTS
  ? path.resolve(process.env.LAJNA_SCREENSHOTS)
  : path.join(repo, 'artefacts', 'screenshots');

/** Launches headless Chromium: $CHROMIUM_PATH, else /usr/bin/chromium. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh browser context (own cookies) signed in as `user` through the sign-in form of
 * `/{lang}/login?next=/{lang}/`. Resolves to the page, left on the dashboard. `options` go to
 * the context (e.g. `{ javaScriptEnabled: false }`).
 */
export async function signIn(browser, baseURL, user, lang = 'ar', options = {}) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`/${lang}/login?next=/${lang}/`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${baseURL}/${lang}/`), page.click('form.form button[type=submit]')]);
  return page;
}

/** `GET /api/v1/actions`, fetched by the page itself (same origin, the session's cookie). */
export async function apiActions(page) {
  const { status, body } = await page.evaluate(async () => {
    const r = await fetch('/api/v1/actions', { headers: { accept: 'application/json' } });
    return { status: r.status, body: await r.text() };
  });
  if (status !== 200) throw new Error(`/api/v1/actions answered ${status}: ${body}`);
  return JSON.parse(body);
}

/**
 * Area progress as the domain defines it, with every weight 1: the mean of the progress of the
 * area's actions that are not cancelled, rounded half up; 0 with no such action.
 */
export function expectedAreaProgress(actions, area) {
  const counted = actions.filter((a) => a.area === area && a.status !== 'cancelled');
  if (counted.length === 0) return 0;
  const sum = counted.reduce((s, a) => s + a.progress, 0);
  return Math.floor((2 * sum + counted.length) / (2 * counted.length));
}

/**
 * On a dashboard: the areas-table row of the area holding action `id` (found through the
 * caption of the roadmap table that holds `#action-{id}`).
 */
export function areaOnDashboard(page, id) {
  return page.evaluate((id) => {
    const row = document.getElementById(`action-${id}`);
    if (!row) return null;
    const title = row.closest('table').querySelector('caption').textContent.trim();
    const areaRow = [...document.querySelectorAll('table.areas tbody tr')].find(
      (tr) => tr.querySelector('th').textContent.trim() === title,
    );
    if (!areaRow) return { title, value: null, text: null };
    const bar = areaRow.querySelector('progress');
    return { title, value: Number(bar.getAttribute('value')), text: bar.nextElementSibling.textContent.trim() };
  }, id);
}

/** On a dashboard: the progress shown in the roadmap row `#action-{id}`. */
export function actionRowOnDashboard(page, id) {
  return page.evaluate((id) => {
    const row = document.getElementById(`action-${id}`);
    if (!row) return null;
    const bar = row.querySelector('progress');
    return {
      value: Number(bar.getAttribute('value')),
      text: bar.nextElementSibling.textContent.trim(),
      title: row.querySelector('td').textContent.trim(),
      status: row.querySelector('.status').textContent.trim(),
    };
  }, id);
}

/** The CSRF token of the session, from the sign-out form's hidden input. */
export function csrfOf(page) {
  return page.locator('form[action$="/logout"] input[name=csrf]').inputValue();
}

/** Full-page screenshot `name` into SCREENSHOTS. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * One `lajna demo` server (fresh data directory) and one headless Chromium for the calling test
 * file, started before its tests and stopped after them (node:test hooks). Returns an object
 * whose `server` and `browser` are set once started. `options` go to startServer().
 */
export function demoServerAndBrowser(options = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
