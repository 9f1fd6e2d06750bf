// Phones (issue 17 item 1): at 390×844, in Arabic and French, no page scrolls sideways — wide
// tables scroll inside their own box, opening at the reading edge; the header menu is collapsed;
// forms are one column. Real headless Chromium against a real `lajna demo` server. Screenshots
// go to artefacts/screenshots/phone-*.png.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { demoServerAndBrowser, screenshot, signIn } from './lib/browser.mjs';
import { allPages } from './lib/pages.mjs';

const PHONE = { width: 390, height: 844 };
// The must-show pages of issue 17 first; the other pages of the demo are checked as well.
const SHOWN = ['dashboard', 'roadmap', 'action', 'session', 'new-action', 'search'];

const env = demoServerAndBrowser();

/** Width of the document and the elements that stick out of the screen (not inside a scroller). */
function widths(page) {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const inScroller = (e) => {
      for (let p = e.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const out = [...document.querySelectorAll('body *')]
      .filter((e) => !e.closest('.skip') && !inScroller(e))
      .filter((e) => {
        const b = e.getBoundingClientRect();
        return b.width > 0 && (b.right > vw + 0.5 || b.left < -0.5);
      })
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, out };
  });
}

for (const lang of ['ar', 'fr']) {
  test(`phone 390×844 in ${lang}: every page as wide as the screen`, async () => {
    const page = await signIn(env.browser, env.server.url, 'mar-cochair', lang);
    try {
      await page.setViewportSize(PHONE);
      const pages = await allPages(page, lang);
      const names = [...SHOWN, ...Object.keys(pages).filter((n) => !SHOWN.includes(n))];
      const bad = [];
      for (const name of names) {
        const res = await page.goto(pages[name]);
        assert.equal(res.status(), 200, `${pages[name]} answers 200`);
        const w = await widths(page);
        if (w.scrollWidth > w.innerWidth || w.out.length) bad.push(`${name} ${pages[name]}: ${JSON.stringify(w)}`);
        if (SHOWN.includes(name)) await screenshot(page, `phone-${lang}-${name}.png`);
      }
      assert.deepEqual(bad, [], 'no page wider than 390 px');
    } finally {
      await page.context().close();
    }
  });

  test(`phone in ${lang}: the roadmap table scrolls in its own box from the reading edge; menu collapsed; form one column`, async () => {
    const page = await signIn(env.browser, env.server.url, 'mar-cochair', lang);
    try {
      await page.setViewportSize(PHONE);
      await page.goto(`/${lang}/roadmap`);
      const t = await page.evaluate(() => {
        const table = document.querySelector('table.roadmap');
        const main = document.querySelector('main');
        const cs = getComputedStyle(main);
        const b = table.getBoundingClientRect();
        const m = main.getBoundingClientRect();
        return {
          overflowX: getComputedStyle(table).overflowX,
          scrolls: table.scrollWidth > table.clientWidth,
          scrollLeft: table.scrollLeft,
          // The edge the table starts at: right in RTL, left in LTR, flush with main's padding.
          startGap:
            document.dir === 'rtl'
              ? m.right - parseFloat(cs.paddingRight) - b.right
              : b.left - (m.left + parseFloat(cs.paddingLeft)),
          headerHeight: document.querySelector('header.top').getBoundingClientRect().height,
          menuOpen: document.querySelector('details.menu').open,
        };
      });
      assert.equal(t.overflowX, 'auto', 'the table is its own scroller');
      assert.ok(t.scrolls, 'the roadmap table is wider than the screen and scrolls inside its box');
      assert.equal(t.scrollLeft, 0, 'it opens at its start');
      assert.ok(Math.abs(t.startGap) < 1, `it starts at the reading edge (gap ${t.startGap})`);
      assert.equal(t.menuOpen, false, 'the header menu is collapsed (own-tools.test.mjs opens it)');
      assert.ok(t.headerHeight < 64, `the header is one row (${t.headerHeight} px)`);

      await page.goto(`/${lang}/new/action`);
      const cols = await page.evaluate(() => {
        const fields = [...document.querySelectorAll('form .rf-field, form .rf-langs, form .rf-lang')];
        // One column: no two fields side by side (each starts on its own line).
        const tops = fields.map((f) => Math.round(f.getBoundingClientRect().top));
        return { n: fields.length, distinct: new Set(tops).size };
      });
      assert.ok(cols.n > 3, 'the new-action form has fields');
      assert.equal(cols.distinct, cols.n, 'the form is one column');
    } finally {
      await page.context().close();
    }
  });
}
