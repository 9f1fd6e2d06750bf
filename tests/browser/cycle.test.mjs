// The committee's cycle in the browser (issue 13): in French and in Arabic, a secretary records
// a decision, creates its follow-up action from the decision page, sees the action on the
// decision page and in the matrix; both co-chairs endorse the decision (password again); the
// PV of the session downloads. Real headless Chromium against a real `lajna demo` server.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { demoServerAndBrowser, screenshot, signIn } from './lib/browser.mjs';
import { PASSWORD } from './lib/server.mjs';

const env = demoServerAndBrowser();

/** The non-empty option values of the select `name` of `form`. */
async function options(form, name) {
  return form.locator(`select[name="${name}"] option`).evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
}

/** Endorses decision `id` as `user` through the confirmation page (password again). */
async function endorse(user, lang, id) {
  const page = await signIn(env.browser, env.server.url, user, lang);
  try {
    await page.goto(`/${lang}/decisions/${id}/endorse`);
    const form = page.locator('#endorse-form');
    assert.equal(await form.count(), 1, `${user} is offered the endorsement`);
    await form.locator('input[name=password]').fill(PASSWORD);
    await Promise.all([page.waitForURL(new RegExp(`/${lang}/decisions/${id}`)), form.locator('button[type=submit]').click()]);
  } finally {
    await page.context().close();
  }
}

for (const lang of ['fr', 'ar']) {
  test(`the cycle in ${lang}: a decision, its follow-up action from the decision page, both pages linked, the matrix row with its reference`, async () => {
    const page = await signIn(env.browser, env.server.url, 'mar-secretary', lang);
    try {
      // A decision of the first session.
      await page.goto(`/${lang}/new/decision`);
      let form = page.locator('#record-form');
      const session = (await options(form, 'session'))[0];
      assert.ok(session, 'the demo has a session');
      await form.locator('select[name=session]').selectOption(session);
      await form.locator('[name="text.fr"]').fill(`Décision d'essai du navigateur (${lang})`);
      await form.locator('[name="text.ar"]').fill(`قرار تجريبي من المتصفح (${lang})`);
      await Promise.all([page.waitForURL(/\/decisions\/[0-9a-f]{64}$/), form.locator('button[type=submit]').click()]);
      const decision = new URL(page.url()).pathname.split('/').pop();
      await screenshot(page, `cycle-decision-${lang}.png`);

      // Its follow-up action, from the decision page: the form knows the decision.
      await Promise.all([page.waitForURL(/\/new\/action\?decision=/), page.click('#new-follow-up')]);
      form = page.locator('#record-form');
      assert.equal(await form.locator('[name=decision]').inputValue(), decision);
      await form.locator('select[name=roadmap]').selectOption((await options(form, 'roadmap'))[0]);
      const area = form.locator('select[name=area]');
      if (!(await area.inputValue())) await area.selectOption((await options(form, 'area'))[0]);
      const title = `Suivi de la décision d'essai (${lang})`;
      await form.locator('[name="title.fr"]').fill(title);
      await form.locator('[name="unit.fr"]').fill('Secrétariat (essai)');
      await form.locator('[name=start]').fill('2025-10-01');
      await form.locator('[name=due]').fill('2025-12-31');
      await Promise.all([page.waitForURL(/\/actions\/[0-9a-f]{64}\?saved=1$/), form.locator('button[type=submit]').click()]);
      const action = new URL(page.url()).pathname.split('/').pop();
      assert.equal(await page.locator(`a[href="/${lang}/decisions/${decision}"]`).count() > 0, true, 'the action links its decision');

      // The decision page lists it; the matrix carries the decision's reference.
      await page.goto(`/${lang}/decisions/${decision}`);
      assert.ok((await page.locator(`a[href="/${lang}/actions/${action}"]`).count()) > 0, 'the decision lists its action');
      const reference = (await page.locator('#decision-reference, .reference').first().innerText()).trim();
      assert.match(reference, /D-\d{4}\/\d+-\d+/);
      const csv = await page.request.get(`/${lang}/roadmap/matrix.csv`);
      assert.equal(csv.status(), 200);
      const text = await csv.text();
      assert.ok(text.includes(title) && text.includes(reference.match(/D-\d{4}\/\d+-\d+/)[0]), 'the matrix row carries the decision reference');
    } finally {
      await page.context().close();
    }
  });
}

test('both co-chairs endorse a decision on its confirmation page, then the PV downloads', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-secretary', 'fr');
  let decision;
  let session;
  try {
    await page.goto('/fr/new/decision');
    const form = page.locator('#record-form');
    session = (await options(form, 'session'))[0];
    await form.locator('select[name=session]').selectOption(session);
    await form.locator('[name="text.fr"]').fill('Décision à endosser (essai)');
    await form.locator('[name="text.ar"]').fill('قرار للمصادقة (تجربة)');
    await Promise.all([page.waitForURL(/\/decisions\/[0-9a-f]{64}$/), form.locator('button[type=submit]').click()]);
    decision = new URL(page.url()).pathname.split('/').pop();
  } finally {
    await page.context().close();
  }
  await endorse('mar-cochair', 'fr', decision);
  await endorse('mli-cochair', 'ar', decision);
  const check = await signIn(env.browser, env.server.url, 'mar-secretary', 'fr');
  try {
    const api = await check.request.get(`/api/v1/decisions/${decision}`);
    assert.equal(api.status(), 200);
    const body = await api.json();
    assert.deepEqual([...new Set((body.endorsements ?? []).map((e) => e.party))].sort(), ['MAR', 'MLI']);
    const pv = await check.request.get(`/fr/sessions/${session}/pv.pdf`);
    assert.equal(pv.status(), 200);
    assert.equal((await pv.body()).subarray(0, 5).toString(), '%PDF-');
  } finally {
    await check.context().close();
  }
});
