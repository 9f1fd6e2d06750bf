// Resources (issue 18) in a real browser, in French: a pledge of 20 training seats valued in
// MAD on an action of the roadmap, due before the demo's day; the area's figure and the "not
// honoured" list; two deliveries typed as a French reader types them (dd/mm/yyyy, a decimal
// comma), each moving the figure, the second emptying the list. A decimal point in the amount is
// refused in French beside the form, the typed values kept. Screenshots go to
// artefacts/screenshots/resources-*.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { demoServerAndBrowser, screenshot, signIn } from './lib/browser.mjs';

const env = demoServerAndBrowser();

/** The text of the by-area table's rows, one string per row, spaces collapsed. */
async function areaRows(page) {
  const rows = await page.locator('section[aria-labelledby=h-area] tbody tr').allInnerTexts();
  return rows.map((r) => r.replace(/\s+/g, ' ').trim());
}

test('fr: 20 training seats valued in MAD, two deliveries, the area figure and the not-honoured list follow', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-secretary', 'fr');
  await page.goto('/fr/resources');
  assert.equal((await page.locator('main h1').textContent()).trim(), 'Ressources');
  assert.equal((await page.locator('#not-honoured p.empty').textContent()).trim(), 'Aucun engagement échu n’attend de livraison.');

  const form = page.locator('form#new-pledge');
  const option = form.locator('select[name=about] option', { hasText: 'Former 12 officiers maliens aux premiers secours au combat' });
  const action = await option.getAttribute('value');
  await form.locator('select[name=about]').selectOption(action);
  await form.locator('input[name=date]').fill('01/03/2025');
  await form.locator('input[name=due]').fill('30/06/2025');
  await form.locator('input[name=sort][value=in_kind]').check();
  await form.locator('input[name=quantity]').fill('20');
  await form.locator('input[name=unit]').fill('places de formation');
  await form.locator('select[name=currency]').selectOption('MAD');

  // A decimal point in French: refused beside the form, in French, what was typed kept.
  await form.locator('input[name=amount]').fill('400000.00');
  await Promise.all([page.waitForURL(/\/fr\/resources\/pledges$/), form.locator('button[type=submit]').click()]);
  const error = (await page.locator('#error-pledge').textContent()).replace(/[\u2068\u2069]/g, '');
  assert.match(error, /400000\.00/);
  assert.match(error, /« , »/);
  assert.equal(await page.locator('form#new-pledge input[name=quantity]').inputValue(), '20');
  await page.waitForFunction(() => document.activeElement?.id === 'error-pledge');

  const again = page.locator('form#new-pledge');
  await again.locator('input[name=amount]').fill('400 000,00');
  await Promise.all([page.waitForURL(/\/fr\/resources\?saved=1$/), again.locator('button[type=submit]').click()]);
  const area = 'Formation du personnel militaire';
  assert.deepEqual(await areaRows(page), [`${area} MAR 400 000,00 MAD 0,00 MAD 0 %`]);
  const late = (await page.locator('#not-honoured li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  assert.equal(late.length, 1);
  assert.match(late[0], /Former 12 officiers maliens/);
  assert.match(late[0], /Engagé 20 places de formation, Livré 0 places de formation/);
  await screenshot(page, 'resources-fr-pledged.png');

  // Two deliveries: 5 seats on 01/07/2025, then 15 on 02/07/2025.
  for (const [day, seats, figure] of [['01/07/2025', '5', '100 000,00 MAD 25 %'], ['02/07/2025', '15', '400 000,00 MAD 100 %']]) {
    const delivery = page.locator('article.pledge form.delivery').first();
    await delivery.locator('input[name=date]').fill(day);
    await delivery.locator('input[name=value]').fill(seats);
    await Promise.all([page.waitForURL(/\/fr\/resources\?saved=1$/), delivery.locator('button[type=submit]').click()]);
    assert.deepEqual(await areaRows(page), [`${area} MAR 400 000,00 MAD ${figure}`]);
  }
  assert.equal(await page.locator('article.pledge ul.deliveries li').count(), 2);
  assert.equal((await page.locator('#not-honoured p.empty').textContent()).trim(), 'Aucun engagement échu n’attend de livraison.');
  await screenshot(page, 'resources-fr-delivered.png');
  await page.context().close();
});
