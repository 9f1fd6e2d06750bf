// People (issue 16) in a real browser: the profile page in Arabic (right to left) changing one's
// own password — a wrong current password refused in Arabic, then the change, this session
// kept and another browser's session ended, the new password signing in and the old one not;
// and the administrator's user list in French — only the party's users, roles and states in
// French, a user added with the activation link shown once. Screenshots go to
// artefacts/screenshots/people-*.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { demoServerAndBrowser, screenshot, signIn } from './lib/browser.mjs';
import { PASSWORD } from './lib/server.mjs';

const env = demoServerAndBrowser();

test('the Arabic profile page changes the password, keeping this session and ending the others', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-secretary', 'ar');
  const other = await signIn(env.browser, env.server.url, 'mar-secretary', 'ar');
  await page.goto('/ar/profile');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  assert.equal((await page.locator('main h1').textContent()).trim(), 'ملفي الشخصي');
  const form = page.locator('form#password');
  assert.equal((await form.locator('button[type=submit]').textContent()).trim(), 'تغيير كلمة المرور');

  // A wrong current password: refused with the reason in Arabic, nothing changed.
  const fresh = 'نخيل مراكش 2025 والأطلس';
  await form.locator('input[name=current]').fill('ليست كلمة مروري الحالية');
  await form.locator('input[name=password]').fill(fresh);
  await form.locator('input[name=repeat]').fill(fresh);
  await Promise.all([page.waitForURL(/\/ar\/profile\/password$/), form.locator('button[type=submit]').click()]);
  assert.equal((await page.locator('#error').textContent()).trim(), 'اسم المستخدم أو كلمة المرور غير صحيحة.');
  await other.reload();
  assert.ok(other.url().endsWith('/ar/'), 'the other session still works');

  // The change: this session stays, the other one is sent to the sign-in page.
  const again = page.locator('form#password');
  await again.locator('input[name=current]').fill(PASSWORD);
  await again.locator('input[name=password]').fill(fresh);
  await again.locator('input[name=repeat]').fill(fresh);
  await Promise.all([page.waitForURL(/\/ar\/profile\/password$/), again.locator('button[type=submit]').click()]);
  assert.equal((await page.locator('#notice').textContent()).trim(), 'تم تغيير كلمة المرور؛ وانتهت جلساتك الأخرى.');
  await screenshot(page, 'people-profile-ar.png');
  await page.goto('/ar/profile');
  assert.ok(page.url().endsWith('/ar/profile'), 'this session is kept');
  await other.goto('/ar/');
  assert.match(other.url(), /\/ar\/login\?next=/, 'the other session ended');

  // The new password signs in on the Arabic sign-in form; the old one is refused.
  await other.fill('input[name=username]', 'mar-secretary');
  await other.fill('input[name=password]', PASSWORD);
  await other.click('form.form button[type=submit]');
  assert.equal((await other.locator('p.error').textContent()).trim(), 'اسم المستخدم أو كلمة المرور غير صحيحة.');
  await other.fill('input[name=username]', 'mar-secretary');
  await other.fill('input[name=password]', fresh);
  await Promise.all([other.waitForURL(/\/ar\/$/), other.click('form.form button[type=submit]')]);
  await page.context().close();
  await other.context().close();
});

test('the French user list shows only the party’s users and adds one with a link shown once', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-cochair', 'fr');
  await page.goto('/fr/users');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal((await page.locator('main h1').textContent()).trim(), 'Utilisateurs');
  const users = await page.locator('#users tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.user));
  assert.ok(users.length >= 3 && users.every((u) => u.startsWith('mar-')), `only MAR users: ${users}`);
  const cochair = page.locator('#users tr[data-user="mar-cochair"] td');
  assert.equal((await cochair.nth(1).textContent()).trim(), 'coprésident');
  assert.equal((await cochair.nth(2).textContent()).trim(), 'SECRET');
  const headers = await page.locator('#users thead th').allTextContents();
  assert.equal(headers.length, 5);

  await page.fill('#add-user input[name=username]', 'mar-redacteur');
  await page.selectOption('#add-user select[name=role]', 'action-owner');
  await page.click('#add-user button[type=submit]');
  const notice = (await page.locator('#link').textContent()).replace(/[\u2068\u2069]/g, '');
  assert.ok(notice.includes('Lien d’activation de mar-redacteur'), notice);
  const link = await page.locator('#link a').getAttribute('href');
  assert.match(link, /^\/fr\/activate\/[0-9a-f]{64}$/);
  const row = page.locator('#users tr[data-user="mar-redacteur"] td');
  assert.equal((await row.nth(1).textContent()).trim(), 'responsable d’action');
  assert.equal((await row.nth(3).textContent()).trim(), 'non activé');
  await screenshot(page, 'people-users-fr.png');
  await page.goto('/fr/users');
  assert.equal(await page.locator('#link').count(), 0, 'the link is shown once');
  await page.context().close();
});
