// Boot that survives a half-up server: the page's loader (web/vigil_loader.js) retries config.json,
// index.wasm, the font and index.js with backoff while the server answers 503 or drops the
// connection, shows "Loading… attempt n" meanwhile, and ends up LIVE without a reload. An absent
// (404) config.json is not retried: the defaults apply.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { env, summary, openPage, withArtifacts, hubAndBrowser } = require('./lib/harness');
const { SiteServer } = require('./tools/site_server');

const FILES = ['/config.json', '/index.wasm', '/fonts/vigil-sc.otf', '/index.js'];

// The page comes from the test's site server, another origin than the hub's: name it (any, here).
const ctx = hubAndBrowser(test, { hubArgs: ['--allow-origin', '*'] });

// Keeps every text the loading overlay shows (the last 64), from the document's first node on:
// the loader runs before DOMContentLoaded, and a dropped connection fails fast enough that its
// "attempt 2" can be shown and gone before then (CI of 2026-12-04: an observer attached at
// DOMContentLoaded saw only the texts after it).
const WATCH_OVERLAY = `(() => {
  const seen = window.__overlayTexts = [];
  let last = null;
  new MutationObserver(() => {
    const t = document.getElementById('overlay-text');
    if (!t || t.textContent === last) return;
    last = t.textContent;
    seen.push(last);
    if (seen.length > 64) seen.shift();
  }).observe(document, { childList: true, characterData: true, subtree: true });
})();`;

for (const failWith of [503, 'drop']) {
  test(`every file fails twice (${failWith}): "attempt n" on screen, then LIVE with no reload`, async () => {
    const site = await new SiteServer({ root: env.site, failFirst: 2, failWith, only: FILES }).start();
    const p = await openPage(ctx.browser, `${site.url}?ws=${encodeURIComponent(ctx.hub.wsUrl)}`, `boot-retry-${failWith}`,
      { beforeGoto: (page) => page.addInitScript(WATCH_OVERLAY) });
    try {
      await withArtifacts([p], async () => {
        const v = await p.waitLive(60000);
        await p.assertNotReloaded();
        const attempts = await p.page.evaluate(() => window.vigilPage.loadAttempts);
        const texts = await p.page.evaluate(() => window.__overlayTexts);
        for (const f of FILES) {
          assert.equal(site.failed[f], 2, `${f} failed twice at the server`);
          // Chromium itself retries a GET whose kept-alive connection drops, once: a dropped
          // request is not always seen by the loader.
          if (failWith === 503) assert.equal(attempts[f.slice(1)], 3, `${f} took 3 attempts (${JSON.stringify(attempts)})`);
          else assert.ok(attempts[f.slice(1)] >= 1, `${f} loaded (${JSON.stringify(attempts)})`);
        }
        const total = Object.values(attempts).reduce((a, b) => a + b, 0);
        // More attempts than files (build.json is loaded too: one attempt each would be 5, not 4).
        assert.ok(total > Object.keys(attempts).length, `the loader retried (${JSON.stringify(attempts)})`);
        assert.ok(texts.some((t) => /Loading… attempt [23] \(.+: .+; next try in \d+ s\)/.test(t)), `progress shown: ${JSON.stringify(texts)}`);
        if (failWith === 503) assert.ok(texts.some((t) => /HTTP 503/.test(t)), 'the reason is shown');
        assert.equal(v.fontLoaded, true, 'the font came on a retry');
        assert.deepEqual(v.configErrors, []);
        summary(`boot-retry-${failWith}`, { attempts: JSON.stringify(attempts), overlay: JSON.stringify(texts.find((t) => /attempt/.test(t)) || '') });
      });
    } finally {
      await p.close();
      await site.stop();
    }
  });
}

test('config.json absent (404): not retried, the defaults apply, LIVE', async () => {
  const site = await new SiteServer({ root: env.site, missing: ['/config.json'] }).start();
  const p = await openPage(ctx.browser, `${site.url}?ws=${encodeURIComponent(ctx.hub.wsUrl)}`, 'boot-retry-absent-config');
  try {
    await withArtifacts([p], async () => {
      await p.waitLive(30000);
      assert.equal(site.requests['/config.json'], 1);
      assert.equal(await p.page.evaluate(() => window.vigilPage.loadAttempts['config.json']), 1);
    });
  } finally {
    await p.close();
    await site.stop();
  }
});
