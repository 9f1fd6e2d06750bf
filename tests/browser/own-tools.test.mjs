// As people's own tools expect (issue 17): on a 390×844 phone, without JavaScript, the header
// menu is collapsed and opens on its summary (ar, fr); form errors take the focus when the page
// opens (autofocus, no script) and are described by their message; a date field shows and
// reads dd/mm/yyyy in French and Arabic (never the browser's mm/dd/yyyy picker) and its
// pattern compiles in Chromium; Chromium saves a document named `محضر الدورة 3 — Bamako.pdf`
// under exactly that name. Real headless Chromium against a real `lajna demo` server;
// screenshots in artefacts/screenshots/menu-*.png.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { apiActions, demoServerAndBrowser, screenshot, signIn } from './lib/browser.mjs';

const PHONE = { width: 390, height: 844 };
const env = demoServerAndBrowser();

/** The header's state: its height, the summary and whether the section links can be seen. */
function header(page) {
  return page.evaluate(() => {
    const top = document.querySelector('header.top').getBoundingClientRect();
    const summary = document.querySelector('details.menu > summary');
    const links = [...document.querySelectorAll('nav.main a')];
    const seen = (e) => e.checkVisibility() && e.getBoundingClientRect().height > 0;
    return {
      height: top.height,
      open: document.querySelector('details.menu').open,
      summaryShown: seen(summary),
      summaryText: summary.textContent.trim(),
      linksShown: links.filter(seen).length,
      links: links.length,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

for (const [lang, menu, roadmap] of [
  ['ar', 'القائمة', 'خارطة الطريق'],
  ['fr', 'Menu', 'Feuille de route'],
]) {
  test(`phone 390×844 in ${lang}, JavaScript off: the header menu is collapsed and opens on its summary`, async () => {
    const page = await signIn(env.browser, env.server.url, 'mar-cochair', lang, { javaScriptEnabled: false });
    try {
      await page.setViewportSize(PHONE);
      await page.goto(`/${lang}/`);
      const closed = await header(page);
      assert.equal(closed.open, false);
      assert.ok(closed.summaryShown, 'the menu summary shows');
      assert.equal(closed.summaryText, menu);
      assert.equal(closed.linksShown, 0, 'no section link shows while the menu is closed');
      assert.ok(closed.height < 64, `the header is one row (${closed.height} px)`);
      assert.equal(closed.scrollWidth, PHONE.width);
      await screenshot(page, `menu-${lang}-closed.png`);

      await page.locator('details.menu > summary').click();
      const open = await header(page);
      assert.equal(open.open, true);
      assert.equal(open.linksShown, open.links, 'every section link shows once opened');
      assert.ok(open.links >= 12, `${open.links} section links`);
      assert.equal(open.scrollWidth, PHONE.width, 'the open menu is as wide as the screen');
      await screenshot(page, `menu-${lang}-open.png`);
      // A link of the open menu leads to its page.
      await Promise.all([
        page.waitForURL(`${env.server.url}/${lang}/roadmap`),
        page.locator('nav.main a', { hasText: roadmap }).first().click(),
      ]);
      assert.equal((await header(page)).open, false, 'the next page opens with the menu closed');

      // On a wide screen the menu is open without a summary.
      await page.setViewportSize({ width: 1280, height: 900 });
      const wide = await header(page);
      assert.equal(wide.summaryShown, false, 'no summary on a wide screen');
      assert.equal(wide.linksShown, wide.links, 'every section link shows on a wide screen');
    } finally {
      await page.context().close();
    }
  });
}

test('form errors: the first refused field has the focus when the page opens, without JavaScript', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-secretary', 'fr', { javaScriptEnabled: false });
  try {
    await page.goto('/fr/new/action');
    const form = page.locator('#record-form');
    const due = form.locator('[name=due]');
    assert.equal(await due.getAttribute('type'), 'text', 'no browser date picker (mm/dd/yyyy)');
    assert.equal(await due.getAttribute('placeholder'), 'jj/mm/aaaa');
    await form.locator('[name="title.fr"]').fill('Action datée à la française');
    await form.locator('select[name=roadmap]').selectOption({ index: 1 });
    await form.locator('select[name=area]').selectOption({ index: 1 });
    await form.locator('[name="unit.fr"]').fill('École du génie');
    await form.locator('select[name=owner]').selectOption('MAR');
    await form.locator('select[name=status]').selectOption('planned');
    await form.locator('[name=start]').fill('01/11/2025');
    await due.fill('02/27/2026');
    await form.locator('[name=progress]').fill('0');
    // The refused page is the POST's answer: wait for it, its refused field, then the focus the
    // browser gives an autofocus field at its next rendering step (not at 'load' of the old page).
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/fr/new/action')),
      form.locator('button[type=submit]').click(),
    ]);
    await page.waitForLoadState('load');
    await page.locator('#record-form [name=due][aria-invalid=true]').waitFor();
    for (let i = 0; i < 50; i++) {
      if ((await page.evaluate(() => document.activeElement?.getAttribute('name'))) === 'due') break;
      await page.waitForTimeout(100);
    }
    const focus = await page.evaluate(() => {
      const e = document.activeElement;
      const described = (e.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id));
      return {
        name: e.getAttribute('name'),
        value: e.value,
        invalid: e.getAttribute('aria-invalid'),
        described: described.map((d) => d?.textContent.trim() ?? null),
      };
    });
    assert.equal(focus.name, 'due', 'the refused due date has the focus');
    assert.equal(focus.value, '02/27/2026', 'what was typed is kept');
    assert.equal(focus.invalid, 'true');
    assert.match(focus.described[0].replace(/[\u2068\u2069]/g, ''), /^« 02\/27\/2026 » n’est pas une date : écrivez le jour, le mois puis l’année/);
    assert.equal(focus.described[1], 'jj/mm/aaaa', 'the format is the field’s description too');

    // Day first is read: the action is saved with its ISO dates.
    await page.locator('#record-form [name=due]').fill('27/02/2026');
    await Promise.all([page.waitForURL(/\/fr\/actions\/[0-9a-f]{64}\?saved=1$/), page.locator('#record-form button[type=submit]').click()]);
    const id = new URL(page.url()).pathname.split('/').pop();
    const saved = (await apiActions(page)).find((a) => a.id === id);
    assert.deepEqual([saved.start, saved.due], ['2025-11-01', '2026-02-27']);
  } finally {
    await page.context().close();
  }
});

for (const [lang, placeholder] of [
  ['ar', 'يوم/شهر/سنة'],
  ['fr', 'jj/mm/aaaa'],
]) {
  test(`date fields in ${lang}: the stored day shown dd/mm/yyyy; the pattern compiles and tells the shapes apart`, async () => {
    const page = await signIn(env.browser, env.server.url, 'mar-secretary', lang);
    try {
      const action = (await apiActions(page)).find((a) => a.owner_party === 'MAR');
      await page.goto(`/${lang}/edit/action/${action.id}`);
      const due = page.locator('#record-form [name=due]');
      const [y, m, d] = action.due.split('-');
      assert.equal(await due.inputValue(), `${d}/${m}/${y}`);
      assert.equal(await due.getAttribute('placeholder'), placeholder);
      const mismatch = async (value) => {
        await due.fill(value);
        return due.evaluate((e) => e.validity.patternMismatch);
      };
      // Chromium compiles `pattern` with the v flag; a pattern it cannot compile is ignored and
      // would let everything through.
      for (const ok of ['31/12/2025', '1/2/2026', '31.12.2025', '2025-12-31', '٣١/١٢/٢٠٢٥']) {
        assert.equal(await mismatch(ok), false, `${ok} matches`);
      }
      for (const bad of ['12/31/25', '2025/12', 'demain']) {
        assert.equal(await mismatch(bad), true, `${bad} does not match`);
      }
    } finally {
      await page.context().close();
    }
  });
}

/** A one-page PDF (the smallest a reader opens). */
function tinyPdf() {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

test('Chromium saves the document `محضر الدورة 3 — Bamako.pdf` under exactly that name', async () => {
  const name = 'محضر الدورة 3 — Bamako.pdf';
  const page = await signIn(env.browser, env.server.url, 'mar-secretary', 'ar', { acceptDownloads: true });
  const dir = await mkdtemp(path.join(tmpdir(), 'lajna-download-'));
  try {
    await page.goto('/ar/documents/new');
    const form = page.locator('#document-form');
    const bytes = tinyPdf();
    await form.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: bytes });
    await form.locator('[name=title_ar]').fill('محضر الدورة الثالثة');
    await form.locator('[name=date]').fill('18/11/2025');
    await Promise.all([page.waitForURL(/\/ar\/documents\?saved=1$/), form.locator('button[type=submit]').click()]);
    await Promise.all([page.waitForURL(/\/ar\/documents\/[0-9a-f]{64}$/), page.locator('a', { hasText: 'محضر الدورة الثالثة' }).first().click()]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href$="/file"]').click()]);
    assert.equal(download.suggestedFilename(), name);
    await download.saveAs(path.join(dir, download.suggestedFilename()));
    assert.deepEqual(await readdir(dir), [name], 'saved under exactly that name');
    assert.deepEqual(await readFile(path.join(dir, name)), bytes, 'the same bytes');
  } finally {
    await page.context().close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('matrix upload in French: a refused row names its row, owning party, column and reason; a non-UTF-8 file its row, focused', async () => {
  const page = await signIn(env.browser, env.server.url, 'mar-secretary', 'fr', { javaScriptEnabled: false });
  try {
    const csv = (await (await page.request.get('/fr/roadmap/matrix.csv')).body()).toString('utf8');
    const lines = csv.split('\r\n');
    const at = lines.findIndex((l) => l.includes(';En cours;') && l.split(';')[4] === 'MAR');
    assert.ok(at > 0, 'a MAR action in progress');
    lines[at] = lines[at].replace(';En cours;', ';en attente;');
    const upload = async (name, buffer) => {
      await page.goto('/fr/roadmap/import');
      await page.locator('#import-form input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer });
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/fr/roadmap/import')),
        page.locator('#import-form button[type=submit]').click(),
      ]);
      await page.waitForLoadState('load');
      // An autofocus target is focused at the page's next rendering step, not at 'load'.
      for (let i = 0; i < 50; i++) {
        if ((await page.evaluate(() => document.activeElement?.id)) === 'import-error') break;
        await page.waitForTimeout(100);
      }
    };
    await upload('matrice.csv', Buffer.from(lines.join('\r\n'), 'utf8'));
    const row = page.locator(`#import-row-${at + 1}`);
    assert.equal(await row.getAttribute('data-outcome'), 'refused');
    const details = (await row.locator('.import-detail').allInnerTexts()).map((t) => t.replace(/[\u2068\u2069]/g, ''));
    assert.equal(details[0], 'Partie propriétaire : MAR');
    assert.match(details[1], /^Colonne « Statut » : Statut inconnu « en attente »\. Écrivez l’un de ceux-ci : Prévue, En cours/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'import-error', 'the refusal has the focus');

    // Windows-1256 bytes: refused naming the row, the message focused.
    const cp1256 = Buffer.concat([
      Buffer.from('Identifiant;Domaine;Action (français);Statut\r\n', 'utf8'),
      Buffer.from([0x3b, 0x46, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x3b, 0xc7, 0xe1, 0xe1, 0xcc, 0xe4, 0xc9, 0x3b]),
      Buffer.from('planned\r\n', 'utf8'),
    ]);
    await upload('matrice-1256.csv', cp1256);
    const focused = await page.evaluate(() => ({ id: document.activeElement.id, text: document.activeElement.textContent }));
    assert.equal(focused.id, 'import-error');
    assert.match(focused.text.replace(/[\u2068\u2069]/g, ''), /^Ligne 2 : le fichier CSV n’est pas en UTF-8/);
  } finally {
    await page.context().close();
  }
});

for (const lang of ['ar', 'fr']) {
  test(`phone 390×844 in ${lang}: the Gantt and the dashboard chart keep readable labels and scroll in their figure`, async () => {
    const page = await signIn(env.browser, env.server.url, 'mar-cochair', lang);
    try {
      await page.setViewportSize(PHONE);
      for (const [path, selector] of [
        [`/${lang}/roadmap`, '#chart-gantt'],
        [`/${lang}/`, '.chart-figure'],
      ]) {
        await page.goto(path);
        const c = await page.evaluate((selector) => {
          const figure = document.querySelector(selector);
          const svg = figure.querySelector('svg.chart');
          const label = svg.querySelector('text');
          const box = figure.getBoundingClientRect();
          const main = document.querySelector('main').getBoundingClientRect();
          return {
            scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
            labelPx: label.getBoundingClientRect().height,
            scrolls: figure.scrollWidth > figure.clientWidth,
            overflowX: getComputedStyle(figure).overflowX,
            scrollLeft: figure.scrollLeft,
            inside: box.left >= main.left - 0.5 && box.right <= main.right + 0.5,
            pageWidth: document.documentElement.scrollWidth,
          };
        }, selector);
        assert.equal(c.scale, 1, `${path}: the chart is drawn at its own size`);
        assert.ok(c.labelPx >= 12, `${path}: labels ${c.labelPx} px high`);
        assert.equal(c.overflowX, 'auto');
        assert.ok(c.scrolls, `${path}: the chart scrolls inside its figure`);
        assert.equal(c.scrollLeft, 0, `${path}: it opens at the reading edge`);
        assert.ok(c.inside, `${path}: the figure stays inside the page`);
        assert.equal(c.pageWidth, PHONE.width);
        if (path.endsWith('roadmap')) await screenshot(page, `phone-${lang}-gantt.png`);
      }
    } finally {
      await page.context().close();
    }
  });
}
