// Accessibility (issue 17 item 3): axe-core (npm) audits every page of the demo in Arabic and
// French; no serious or critical violation. The audit context bypasses the CSP only to inject
// axe's script (the pages themselves allow no inline script).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { PASSWORD } from './lib/server.mjs';
import { demoServerAndBrowser } from './lib/browser.mjs';
import { allPages } from './lib/pages.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const env = demoServerAndBrowser();

/** Signs in `user` in a context that lets the test inject axe-core despite the CSP. */
async function auditContext(user, lang) {
  const context = await env.browser.newContext({ baseURL: env.server.url, bypassCSP: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`/${lang}/login?next=/${lang}/`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${env.server.url}/${lang}/`), page.click('form.form button[type=submit]')]);
  return page;
}

/** The serious and critical violations of axe-core on the current page. */
async function audit(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')} (${v.nodes.length})`);
}

for (const lang of ['ar', 'fr']) {
  test(`axe-core in ${lang}: every page of the demo without serious or critical violations`, async () => {
    const page = await auditContext('mar-cochair', lang);
    try {
      const pages = await allPages(page, lang);
      pages.login = `/${lang}/login`;
      const found = [];
      for (const [name, p] of Object.entries(pages)) {
        await page.goto(p);
        for (const v of await audit(page)) found.push(`${name} ${p}: ${v}`);
      }
      assert.deepEqual(found, [], 'axe-core finds no serious or critical violation');
    } finally {
      await page.context().close();
    }
  });
}

// The states the page list does not reach: a refused form (its errors announced, the first one
// focused) and, on a phone, the header menu open.
for (const lang of ['ar', 'fr']) {
  test(`axe-core in ${lang}: a refused new-action form and the phone menu open`, async () => {
    const page = await auditContext('mar-secretary', lang);
    try {
      await page.goto(`/${lang}/new/action`);
      const form = page.locator('#record-form');
      await form.locator('[name=due]').fill('31/02/2026');
      await form.locator('[name=start]').fill('2025-13-01');
      await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
      assert.ok((await page.locator('.field-error').count()) >= 2, 'the refusals are on the page');
      const found = (await audit(page)).map((v) => `refused form: ${v}`);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`/${lang}/roadmap`);
      await page.locator('details.menu > summary').click();
      found.push(...(await audit(page)).map((v) => `open menu: ${v}`));
      assert.deepEqual(found, [], 'axe-core finds no serious or critical violation');
    } finally {
      await page.context().close();
    }
  });
}

// On a phone wide tables and charts scroll inside their own box: each must take the keyboard's
// focus when nothing in it does (axe-core's scrollable-region-focusable).
for (const lang of ['ar', 'fr']) {
  test(`axe-core in ${lang} at 390×844: every page of the demo without serious or critical violations`, async () => {
    const page = await auditContext('mar-cochair', lang);
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      const pages = await allPages(page, lang);
      const found = [];
      for (const [name, p] of Object.entries(pages)) {
        await page.goto(p);
        for (const v of await audit(page)) found.push(`${name} ${p}: ${v}`);
      }
      assert.deepEqual(found, [], 'axe-core finds no serious or critical violation on a phone');
    } finally {
      await page.context().close();
    }
  });
}
