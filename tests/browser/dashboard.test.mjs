// Browser tests of the dashboard, the action page and the language switch, in real headless
// Chromium against a real `lajna demo` server (fresh temporary data directory for this file).
//
// Run: `node --test` in tests/browser (LAJNA_BIN = the lajna binary, default
// ../../target/debug/lajna). Screenshots go to artefacts/screenshots/.
//
// Each test signs in with its own browser context and does not rely on another test having
// run: the one that needs the updated action (the French view) makes the update itself when it
// has not been made.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  actionRowOnDashboard,
  apiActions,
  areaOnDashboard,
  csrfOf,
  expectedAreaProgress,
  demoServerAndBrowser,
  screenshot,
  signIn,
} from './lib/browser.mjs';

const OPEN = (a) => a.status !== 'done' && a.status !== 'cancelled';
// Ids are random per data directory: order by due date, then English title, so that every run
// picks the same action of the demo.
const cmp = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
const stable = (a, b) => cmp(a.due, b.due) || cmp(a.title.en, b.title.en) || cmp(a.id, b.id);

/** The MLI-owned open action the tests update: the first by due date (whatever its progress). */
function mliAction(actions) {
  const a = actions.filter((x) => x.owner_party === 'MLI' && OPEN(x)).sort(stable)[0];
  assert.ok(a, 'the demo has an open action owned by MLI');
  return a;
}

/** A MAR-owned open action: the first by due date. */
function marAction(actions) {
  const a = actions.filter((x) => x.owner_party === 'MAR' && OPEN(x)).sort(stable)[0];
  assert.ok(a, 'the demo has an open action owned by MAR');
  return a;
}

/** Reports `progress` (and status in progress) on action `id` through its page's form. */
async function reportThroughForm(page, baseURL, lang, id, progress) {
  await page.goto(`/${lang}/actions/${id}`);
  const form = page.locator('#progress-form');
  assert.equal(await form.count(), 1, 'the owning party sees the update form');
  await form.locator('select[name=status]').selectOption('in_progress');
  await form.locator('input[name=progress]').fill(String(progress));
  await Promise.all([
    page.waitForURL(`${baseURL}/${lang}/actions/${id}?saved=1`),
    form.locator('button[type=submit]').click(),
  ]);
}

const env = demoServerAndBrowser();

test('Arabic dashboard after sign-in: RTL, the February 2025 mission and its programme', async () => {
  const page = await signIn(env.browser, env.server.url, 'mli-secretary', 'ar');
  try {
    assert.equal(page.url(), `${env.server.url}/ar/`);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    assert.match(await page.locator('.who').innerText(), /mli-secretary/);

    // The mission of 17–19 February 2025 in Bamako.
    const mission = page.locator('article.mission').filter({ has: page.locator('dd time[datetime="2025-02-17"]') });
    assert.equal(await mission.count(), 1, 'one mission starts on 2025-02-17');
    assert.equal(await mission.locator('dd time').nth(1).getAttribute('datetime'), '2025-02-19');
    const text = await mission.innerText();
    assert.ok(text.includes('Africa/Bamako'), 'its time zone is shown');
    assert.ok(text.includes('زيارة الوفد العسكري المغربي رفيع المستوى إلى مالي'), 'its Arabic title is shown');

    // Its programme: one item per day, 17, 18 and 19 February, opening with the official reception.
    const items = mission.locator('ol.programme > li');
    const dates = await items.locator('time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    assert.deepEqual(dates, ['2025-02-17', '2025-02-18', '2025-02-19']);
    const reception = items.filter({ hasText: 'استقبال رسمي في وزارة الدفاع المالية' });
    assert.equal(await reception.count(), 1, 'the official reception is in the programme');
    assert.equal(await reception.locator('time').getAttribute('datetime'), '2025-02-17');
    assert.ok(await reception.isVisible());

    await screenshot(page, 'dashboard-ar.png');
  } finally {
    await page.context().close();
  }
});

test('MLI secretary sets an MLI action to 60 % through the form; the area progress follows', async () => {
  const page = await signIn(env.browser, env.server.url, 'mli-secretary', 'ar');
  try {
    const before = await apiActions(page);
    const action = mliAction(before);
    assert.notEqual(action.progress, 60, 'the action is not at 60 % yet');

    // The area's progress as shown now agrees with the rule (mean of non-cancelled actions).
    const areaBefore = await areaOnDashboard(page, action.id);
    assert.ok(areaBefore && areaBefore.value !== null, `the dashboard shows action ${action.id} and its area`);
    assert.equal(areaBefore.value, expectedAreaProgress(before, action.area), 'area progress before the update');
    assert.equal(areaBefore.text, `${areaBefore.value}%`);

    await reportThroughForm(page, env.server.url, 'ar', action.id, 60);
    assert.ok(await page.locator('p.saved[role=status]').isVisible(), 'the page confirms the save');
    assert.equal((await page.locator('#current-progress').innerText()).trim(), '60%');
    assert.equal(await page.locator('dd progress').getAttribute('value'), '60');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await screenshot(page, 'action-ar.png');

    // The record agrees; the expected area figure comes from the other actions' progress.
    const afterUpdate = await apiActions(page);
    const updated = afterUpdate.find((a) => a.id === action.id);
    assert.equal(updated.progress, 60);
    assert.equal(updated.status, 'in_progress');
    const expected = expectedAreaProgress(afterUpdate, action.area);
    assert.notEqual(expected, areaBefore.value, 'the update changes the area figure (else the test proves nothing)');

    // Back to the dashboard through the navigation.
    await Promise.all([
      page.waitForURL(`${env.server.url}/ar/`),
      page.locator('nav.main a[href="/ar/"]').click(),
    ]);
    const areaAfter = await areaOnDashboard(page, action.id);
    assert.equal(areaAfter.title, areaBefore.title);
    assert.equal(areaAfter.value, expected, `area «${areaAfter.title}» progress after the update`);
    assert.equal(areaAfter.text, `${expected}%`);
    const row = await actionRowOnDashboard(page, action.id);
    assert.equal(row.value, 60);
    assert.equal(row.text, '60%');
  } finally {
    await page.context().close();
  }
});

test("MLI secretary cannot update a MAR action: no form, and a forged POST is refused with 403", async () => {
  const page = await signIn(env.browser, env.server.url, 'mli-secretary', 'ar');
  try {
    const before = await apiActions(page);
    const action = marAction(before);

    await page.goto(`/ar/actions/${action.id}`);
    assert.equal(await page.locator('h1').count(), 1, 'the action page is shown');
    assert.equal(await page.locator('#progress-form').count(), 0, 'no update form for another party');
    assert.equal(await page.locator('select[name=status], input[name=progress]').count(), 0);
    assert.equal(await page.locator('form[action$="/evidence"]').count(), 0, 'no evidence form either');

    const csrf = await csrfOf(page);
    assert.match(csrf, /^[0-9a-f]{16,}$/);
    const target = `/ar/actions/${action.id}/progress`;

    // With the session's valid token: refused for the party, not for the token.
    const forged = await page.request.post(target, { form: { csrf, progress: '10' }, maxRedirects: 0 });
    assert.equal(forged.status(), 403);
    const body = await forged.text();
    assert.ok(body.includes('لا يسمح لك طرفك ودورك بالقيام بهذا'), 'refused because of the party and role');

    // Without the token: refused as well (CSRF).
    const noToken = await page.request.post(target, { form: { csrf: 'x'.repeat(64), progress: '10' }, maxRedirects: 0 });
    assert.equal(noToken.status(), 403);
    assert.ok((await noToken.text()).includes('انتهت صلاحية هذه الاستمارة'), 'refused for the CSRF token');

    const after = (await apiActions(page)).find((a) => a.id === action.id);
    assert.equal(after.progress, action.progress, 'progress unchanged');
    assert.equal(after.status, action.status, 'status unchanged');
  } finally {
    await page.context().close();
  }
});

test('switching to French from the header: LTR, the same data in French', async () => {
  const page = await signIn(env.browser, env.server.url, 'mli-secretary', 'ar');
  try {
    let actions = await apiActions(page);
    const action = mliAction(actions);
    if (action.progress !== 60) {
      // The update test did not run (or ran elsewhere): make the same update here.
      await reportThroughForm(page, env.server.url, 'ar', action.id, 60);
      await page.goto('/ar/');
      actions = await apiActions(page);
    }

    await Promise.all([
      page.waitForURL(`${env.server.url}/fr/`),
      page.locator('header nav.langs a', { hasText: 'Français' }).click(),
    ]);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    assert.equal(await page.locator('nav.langs a[aria-current="true"]').innerText(), 'Français');
    assert.equal((await page.locator('nav.main a').first().innerText()).trim(), 'Tableau de bord');

    const mission = page.locator('article.mission').filter({ has: page.locator('dd time[datetime="2025-02-17"]') });
    assert.ok(
      (await mission.locator('h3').innerText()).includes(
        'Visite de la délégation militaire marocaine de haut niveau au Mali',
      ),
    );
    assert.ok((await mission.innerText()).includes('Africa/Bamako'));

    // The updated action, in French, at 60 %, and its area at the figure the rule gives.
    const row = await actionRowOnDashboard(page, action.id);
    assert.ok(row, `the French dashboard shows action ${action.id}`);
    assert.equal(row.value, 60);
    assert.match(row.text, /^60[\s\u00a0\u202f]?%$/);
    assert.ok(row.title.includes(action.title.fr), `its French title «${action.title.fr}»`);
    const area = await areaOnDashboard(page, action.id);
    assert.equal(area.value, expectedAreaProgress(actions, action.area));

    // No Arabic-script text outside an element marked lang="ar" (i.e. nothing left untranslated).
    const stray = await page.evaluate(() => {
      const out = [];
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (/[\u0600-\u06ff]/.test(n.textContent) && n.parentElement.closest('[lang]')?.lang !== 'ar') {
          out.push(n.textContent.trim());
        }
      }
      return out;
    });
    assert.deepEqual(stray, [], 'Arabic text on the French page outside lang="ar"');

    await screenshot(page, 'dashboard-fr.png');
  } finally {
    await page.context().close();
  }
});
