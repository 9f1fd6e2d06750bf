// Browser tests of the archive and its search (issue 6) and the report and charts (issue 4), in
// real headless Chromium against a real `lajna demo` server (fresh temporary data directory for
// this file). Screenshots go to artefacts/screenshots/.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { demoServerAndBrowser, screenshot, signIn } from './lib/browser.mjs';

const env = demoServerAndBrowser();

test('Arabic search from the header box: the founding article, highlighted, right to left', async () => {
  const page = await signIn(env.browser, env.server.url, 'mli-secretary', 'ar');
  try {
    // Typed without hamza or article, as people type: the article has «العسكري» and «التعاون».
    const box = page.locator('form.search-box input[name=q]');
    assert.equal(await box.count(), 1, 'a search box in the header');
    await box.fill('تعاون عسكري');
    await Promise.all([page.waitForURL(/\/ar\/search\?q=/), box.press('Enter')]);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    const hits = page.locator('article.search-hit');
    assert.ok((await hits.count()) >= 1, 'at least one hit');
    const press = page.locator('article.search-hit[data-kind="press"]');
    assert.equal(await press.count(), 1, 'the founding press article is found');
    const marks = await press.locator('.snippet mark').allInnerTexts();
    assert.ok(marks.length >= 1, 'its snippet highlights the words');
    // Each highlighted word is a form of a query word, in the text's own spelling.
    assert.ok(marks.every((m) => m.includes('تعاون') || m.includes('عسكري')), `marks: ${marks}`);
    await screenshot(page, 'search-ar.png');
  } finally {
    await page.context().close();
  }
});

test('the SECRET MAR-only document: banner for the MAR co-chair, absent for the MLI secretary', async () => {
  const chair = await signIn(env.browser, env.server.url, 'mar-cochair', 'fr');
  try {
    await chair.goto('/fr/documents');
    const secret = chair.locator('#documents tr', { has: chair.locator('.marking-SECRET') });
    assert.equal(await secret.count(), 1, 'the MAR co-chair sees one SECRET document');
    const top = chair.locator('[data-marking="top"]');
    const bottom = chair.locator('[data-marking="bottom"]');
    assert.equal(await top.innerText(), 'SECRET — MAR ONLY');
    assert.equal(await bottom.innerText(), 'SECRET — MAR ONLY');
    await Promise.all([chair.waitForURL(/\/fr\/documents\/[^/]+$/), secret.locator('a').first().click()]);
    assert.equal(await chair.locator('[data-marking="top"]').innerText(), 'SECRET — MAR ONLY');
    await screenshot(chair, 'document-secret-fr.png');
    const url = new URL(chair.url()).pathname;

    const other = await signIn(env.browser, env.server.url, 'mli-secretary', 'fr');
    try {
      await other.goto('/fr/documents');
      assert.equal(await other.locator('.marking-SECRET').count(), 0, 'no SECRET row for MLI');
      assert.equal(await other.locator('[data-marking]').count(), 0, 'no banner: nothing marked is shown');
      const res = await other.goto(url);
      assert.equal(res.status(), 404, 'the document page is not found for MLI');
    } finally {
      await other.context().close();
    }
  } finally {
    await chair.context().close();
  }
});

test('dashboard charts mirrored in Arabic, report button, and the roadmap Gantt', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-secretary', 'ar');
  try {
    const chart = page.locator('svg.chart-progress');
    assert.equal(await chart.count(), 1, 'progress-by-area chart');
    assert.ok(await chart.isVisible());
    assert.equal(await chart.getAttribute('data-dir'), 'rtl');
    // Mirrored: in an area with progress, the bar grows from the right end of its track.
    const area = chart.locator('g.area', { has: page.locator('rect.bar') }).first();
    const track = await area.locator('rect.track').boundingBox();
    const bar = await area.locator('rect.bar').boundingBox();
    assert.ok(track && bar, 'an area with progress is drawn');
    assert.ok(Math.abs(track.x + track.width - (bar.x + bar.width)) < 1, 'bar anchored on the right end');
    assert.ok(bar.width < track.width || bar.x - track.x < 1, 'bar within its track');
    assert.equal(await page.locator('form[action="/ar/report.pdf"]').count(), 1, 'report button');
    await screenshot(page, 'dashboard-charts-ar.png');
    await page.goto('/ar/roadmap');
    assert.equal(await page.locator('svg.chart-gantt').count(), 1, 'Gantt on the roadmap page');
    await screenshot(page, 'roadmap-gantt-ar.png');
  } finally {
    await page.context().close();
  }
});
