// The pages of the demo committee that the phone, print and accessibility tests visit (issue 17
// items 1–3): list pages by path, record pages found through the first link of their list.

/** Paths of the list pages, without the `/{lang}` prefix. */
export const LIST_PAGES = {
  dashboard: '/',
  'my-work': '/my-work',
  notifications: '/notifications',
  roadmap: '/roadmap',
  needs: '/needs',
  training: '/training',
  missions: '/missions',
  sessions: '/sessions',
  communiques: '/communiques',
  documents: '/documents',
  resources: '/resources',
  record: '/record',
  search: '/search?q=2025',
  forms: '/new',
  'new-action': '/new/action',
  sync: '/sync',
  audit: '/audit',
};

/** The href (path) of the first link matching `re` on `path` of the page's current language. */
async function firstLink(page, lang, path, re) {
  await page.goto(`/${lang}${path}`);
  const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => re.test(h));
  if (!href) throw new Error(`no link matching ${re} on /${lang}${path}`);
  return href.replace(/#.*$/, '');
}

/**
 * Paths (with the `/{lang}` prefix) of one mission, one session, one decision and one action of
 * the demo, found by following links as a reader would.
 */
export async function recordPages(page, lang) {
  const mission = await firstLink(page, lang, '/missions', new RegExp(`^/${lang}/missions/[^/?]+$`));
  const session = await firstLink(page, lang, '/sessions', new RegExp(`^/${lang}/sessions/[^/?]+$`));
  const action = await firstLink(page, lang, '/roadmap', new RegExp(`^/${lang}/actions/[^/?]+$`));
  const decision = await firstLink(page, lang, '/', new RegExp(`^/${lang}/decisions/[^/?]+$`));
  return { mission, session, decision, action };
}

/** Every page of the demo in `lang`: name → path with the `/{lang}` prefix. */
export async function allPages(page, lang) {
  const pages = Object.fromEntries(Object.entries(LIST_PAGES).map(([k, p]) => [k, `/${lang}${p}`]));
  return { ...pages, ...(await recordPages(page, lang)) };
}
