// Print (issue 17 item 2): with Chromium's print media, no navigation, form or button shows;
// the marking banners stay at the top and at the bottom; tables keep their rows whole; a page
// number in the page margin. Screenshots and a PDF go to artefacts/screenshots/print-*.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { demoServerAndBrowser, screenshot, SCREENSHOTS, signIn } from './lib/browser.mjs';
import { recordPages } from './lib/pages.mjs';

const env = demoServerAndBrowser();

/** What print media shows of the page's chrome. */
function printed(page) {
  return page.evaluate(() => {
    const shown = (e) => e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0;
    const banners = [...document.querySelectorAll('.marking-banner')];
    const main = document.querySelector('main').getBoundingClientRect();
    return {
      navShown: [...document.querySelectorAll('nav')].some(shown),
      headerShown: shown(document.querySelector('header.top')),
      formsShown: [...document.querySelectorAll('form, button')].filter(shown).length,
      banners: banners.map((b) => ({
        where: b.dataset.marking,
        shown: shown(b),
        above: b.getBoundingClientRect().bottom <= main.top + 0.5,
        below: b.getBoundingClientRect().top >= main.bottom - 0.5,
        text: b.textContent.trim(),
      })),
      rowsWhole: [...document.querySelectorAll('tr')].every((tr) => getComputedStyle(tr).breakInside === 'avoid'),
    };
  });
}

for (const lang of ['ar', 'fr']) {
  test(`print in ${lang}: a session page without navigation, forms or buttons`, async () => {
    const page = await signIn(env.browser, env.server.url, 'mar-cochair', lang);
    try {
      const { session, decision, action } = await recordPages(page, lang);
      for (const [name, p] of [['session', session], ['decision', decision], ['action', action], ['roadmap', `/${lang}/roadmap`]]) {
        await page.emulateMedia({ media: null });
        await page.goto(p);
        await page.emulateMedia({ media: 'print' });
        const r = await printed(page);
        assert.equal(r.navShown, false, `${name}: no navigation in print`);
        assert.equal(r.headerShown, false, `${name}: no header in print`);
        assert.equal(r.formsShown, 0, `${name}: no form or button in print`);
        assert.ok(r.rowsWhole, `${name}: table rows are not cut across pages`);
        // Any banner the page carries is printed, the top one above the content, the bottom one below.
        for (const b of r.banners) {
          assert.ok(b.shown, `${name}: the ${b.where} marking banner is printed`);
          assert.ok(b.where === 'top' ? b.above : b.below, `${name}: the ${b.where} banner is at the ${b.where}`);
        }
        if (name === 'session') await screenshot(page, `print-${lang}-session.png`);
      }
      await page.emulateMedia({ media: null });
    } finally {
      await page.context().close();
    }
  });
}

test('print: the SECRET documents list keeps both marking banners; a PDF prints with page numbers', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-cochair', 'fr');
  try {
    await page.goto('/fr/documents');
    await page.emulateMedia({ media: 'print' });
    const r = await printed(page);
    assert.equal(r.navShown, false, 'no navigation in print');
    assert.deepEqual(
      r.banners.map((b) => [b.where, b.shown, b.where === 'top' ? b.above : b.below]),
      [['top', true, true], ['bottom', true, true]],
      'both banners printed, at the top and at the bottom',
    );
    assert.match(r.banners[0].text, /SECRET/);
    await screenshot(page, 'print-fr-documents.png');
    await mkdir(SCREENSHOTS, { recursive: true });
    const pdf = await page.pdf({ path: path.join(SCREENSHOTS, 'print-fr-documents.pdf'), format: 'A4', preferCSSPageSize: true });
    assert.ok(pdf.length > 1000, 'Chromium prints the page to PDF');
    // The page number in the bottom margin (@page @bottom-center), read back by poppler.
    const text = execFileSync('pdftotext', [path.join(SCREENSHOTS, 'print-fr-documents.pdf'), '-'], { encoding: 'utf8' });
    assert.match(text, /\b1\s*\/\s*1\b/, 'the page counter «1 / 1» is printed');
    assert.equal(text.match(/SECRET — MAR ONLY/g)?.length, 2, 'the marking printed at the top and at the bottom');
  } finally {
    await page.context().close();
  }
});

test('print: a session page that files a CONFIDENTIAL document carries both banners; a reader not cleared for it sees neither', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-cochair', 'fr');
  const title = 'Procès-verbal signé de la session (pièce)';
  let session;
  try {
    ({ session } = await recordPages(page, 'fr'));
    const id = session.split('/').pop();
    await page.goto('/fr/documents/new');
    const form = page.locator('#document-form');
    await form.locator('input[type=file]').setInputFiles({ name: 'pv.txt', mimeType: 'text/plain', buffer: Buffer.from('PV de la session, signé.\n') });
    await form.locator('[name=title_fr]').fill(title);
    await form.locator('[name=date]').fill('20/02/2025');
    await form.locator('[name=classification]').selectOption('CONFIDENTIAL');
    await form.locator('[name=links]').selectOption(id);
    await Promise.all([page.waitForURL(/\/fr\/documents\?saved=1$/), form.locator('button[type=submit]').click()]);

    await page.goto(session);
    const linked = page.locator('#linked-documents a', { hasText: title });
    assert.equal(await linked.count(), 1, 'the session page lists the document filed with it');
    await page.emulateMedia({ media: 'print' });
    const r = await printed(page);
    assert.equal(r.navShown, false, 'no navigation in print');
    assert.equal(r.formsShown, 0, 'no form or button in print');
    assert.deepEqual(
      r.banners.map((b) => [b.where, b.shown, b.where === 'top' ? b.above : b.below, b.text]),
      [['top', true, true, 'CONFIDENTIAL — MAR+MLI'], ['bottom', true, true, 'CONFIDENTIAL — MAR+MLI']],
      'both banners printed, the highest marking of what the page files, at the top and at the bottom',
    );
    assert.ok(await linked.isVisible(), 'the linked documents are printed');
    await screenshot(page, 'print-fr-session-marked.png');
  } finally {
    await page.context().close();
  }
  // An owner (RESTRICTED) does not see the document, so neither its title nor its banner.
  const owner = await signIn(env.browser, env.server.url, 'mar-owner', 'fr');
  try {
    await owner.goto(session);
    assert.equal(await owner.locator('.marking-banner').count(), 0, 'no banner for a reader not cleared');
    assert.equal(await owner.getByText(title).count(), 0, 'nor the title');
  } finally {
    await owner.context().close();
  }
});
