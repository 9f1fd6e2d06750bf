// Notifications (issue 14 item 2) in a real browser, with JavaScript turned off to show that
// nothing needs it: the count in the header, the notifications page in Arabic (right to left,
// newest first), "mark as read" taking the count down by one, "mark all" to zero; and the
// "my work" page linked from the header. The scheduler's clock is fixed (LAJNA_NOTIFY_NOW:
// Monday 2026-03-23 08:00 UTC, the demo users' zone: the weekly digest's hour), so the demo's
// reminders are made at the server's first tick. Screenshots go to artefacts/screenshots/notifications-*.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { demoServerAndBrowser, screenshot, signIn } from './lib/browser.mjs';

const env = demoServerAndBrowser({ env: { LAJNA_NOTIFY_NOW: '2026-03-23T08:00:00Z' } });

/** The header's unread count on the current page. */
async function unread(page) {
  return Number(await page.locator('header a.notify-count').getAttribute('data-unread'));
}

test('the header count, the Arabic notifications page and mark as read, without JavaScript', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-secretary', 'ar', { javaScriptEnabled: false });
  // The first tick runs as the server starts: reload until its notifications are counted.
  const deadline = Date.now() + 60_000;
  while ((await unread(page)) === 0) {
    assert.ok(Date.now() < deadline, 'no notification was made at the first tick');
    await page.waitForTimeout(250);
    await page.reload();
  }
  const count = await unread(page);
  const badge = page.locator('header a.notify-count .badge');
  assert.equal((await badge.textContent()).trim(), String(count));

  await Promise.all([page.waitForURL(/\/ar\/notifications$/), page.click('header a.notify-count')]);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal((await page.locator('main h1').textContent()).trim(), 'الإشعارات');
  const items = page.locator('#notifications > li');
  const shown = await items.count();
  assert.equal(shown, Math.min(count, 20));
  const ids = await items.evaluateAll((lis) => lis.map((li) => Number(li.dataset.id)));
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  assert.equal(await page.locator('#notifications > li.unread').count(), shown);
  await screenshot(page, 'notifications-ar.png');
  // The weekly digest of that Monday, in Arabic: made first in the tick, so on the last page.
  const pages = Math.ceil(count / 20);
  await page.goto(`/ar/notifications?page=${pages}`);
  const digest = page.locator('#notifications > li[data-trigger="digest"]');
  assert.ok((await digest.textContent()).includes('ملخصكم الأسبوعي (2026-W13)'));
  await page.goto('/ar/notifications');

  // Mark the newest read: the count goes down by one, the item shows as read.
  const first = items.first();
  await Promise.all([page.waitForURL(/\/ar\/notifications\?page=1$/), first.locator('button').click()]);
  assert.equal(await unread(page), count - 1);
  assert.equal(await page.locator(`#notifications > li[data-id="${ids[0]}"]`).getAttribute('data-read'), 'true');
  assert.equal((await page.locator('header a.notify-count .badge').textContent()).trim(), String(count - 1));

  // Mark all read: no count left in the header.
  await Promise.all([page.waitForURL(/\/ar\/notifications\?page=1$/), page.click('#mark-all button')]);
  assert.equal(await unread(page), 0);
  assert.equal(await page.locator('header a.notify-count .badge').count(), 0);
  await screenshot(page, 'notifications-ar-read.png');
  await page.context().close();
});

test('"my work" is linked from the header and shows its three lists in Arabic', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-cochair', 'ar', { javaScriptEnabled: false });
  await Promise.all([page.waitForURL(/\/ar\/my-work$/), page.click('header nav.main a[href="/ar/my-work"]')]);
  assert.equal((await page.locator('main h1').textContent()).trim(), 'عملي');
  const headings = await page.locator('main h2').allTextContents();
  assert.deepEqual(headings.map((h) => h.trim()), ['إجراءاتي', 'إجراءات طرفي في انتظار التحديث', 'في انتظار مصادقتي']);
  // The demo's Moroccan co-chair leads no action; the party's overdue ones are listed.
  assert.equal((await page.locator('#mine-empty').textContent()).trim(), 'لا يوجد إجراء مفتوح تتولون مسؤوليته.');
  assert.ok((await page.locator('#party tbody tr').count()) > 0);
  await screenshot(page, 'my-work-ar.png');
  await page.context().close();
});
