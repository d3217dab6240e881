// The watchdog in web/index.html: a wasm that aborts gets a DOM banner (#overlay with the reason
// and a countdown), then the page reloads itself (?abort_reload_s=2) once the server answers, and
// is LIVE again. If the server does not answer, it does not reload into an error page: it says so
// and waits. (The only scenario where a reload is the expected outcome.)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, hold, summary, Hub, openPage, withArtifacts } = require('./lib/harness');

let hub, browser;
test.before(async () => {
  hub = await new Hub().start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill();
});

const overlay = (p) => p.page.evaluate(() => {
  const o = document.getElementById('overlay');
  return { shown: getComputedStyle(o).display !== 'none', text: document.getElementById('overlay-text').textContent };
});

// timeOrigin of the document now (null while a navigation is in flight).
const originNow = (p) => p.page.evaluate(() => performance.timeOrigin).catch(() => null);

test('wasm abort -> banner, reload after abort_reload_s, LIVE again', async () => {
  const p = await openPage(browser, `${hub.url}?debug=1&abort_reload_s=2`, 'watchdog-abort');
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      assert.equal((await overlay(p)).shown, false, 'no banner while running');
      const abortedAt = Date.now();
      await p.page.evaluate(() => window.vigilDebug.abort());
      const banner = await until('the crash banner', async () => { const o = await overlay(p); return o.shown && /crashed/.test(o.text) && o; }, 5000, 20);
      const bannerMs = Date.now() - abortedAt;
      assert.match(banner.text, /Reloading in \d+ s/);
      assert.doesNotMatch(banner.text, /\(\)/, 'the banner names the cause, even for a plain abort');
      const reloaded = await until('a reload (new timeOrigin)', async () => { const o = await originNow(p); return o && o !== p.origin && o; }, 10000, 50);
      const reloadMs = Date.now() - abortedAt;
      assert.ok(reloadMs >= 1800, `reloaded ${reloadMs} ms after the abort, not before abort_reload_s=2`);
      const live = await p.waitLive(30000);
      const liveMs = Date.now() - abortedAt;
      assert.equal(live.opens, 1, 'a fresh page');
      assert.equal((await overlay(p)).shown, false, 'banner gone');
      assert.ok(reloaded > p.origin);
      summary('watchdog-abort', { banner_ms: bannerMs, reload_ms: reloadMs, live_ms: liveMs });
    });
  } finally {
    await p.close();
  }
});

test('wasm abort while the server is down -> no reload into an error page; reload once it answers', async () => {
  const p = await openPage(browser, `${hub.url}?debug=1&abort_reload_s=1`, 'watchdog-abort-server-down');
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      await hub.kill('SIGKILL');
      await p.page.evaluate(() => window.vigilDebug.abort());
      const waiting = await until('"does not answer" on the banner', async () => { const o = await overlay(p); return o.shown && /does not answer/.test(o.text) && o; }, 10000, 50);
      await hold(3000);  // the scenario: the server stays down a while
      assert.equal(await originNow(p), p.origin, 'no reload while the server is down');
      const startedAt = Date.now();
      await hub.start();
      await until('a reload once the server answers', async () => { const o = await originNow(p); return o && o !== p.origin; }, 15000, 50);
      const reloadMs = Date.now() - startedAt;
      await p.waitLive(30000);
      summary('watchdog-server-down', { reload_after_server_ms: reloadMs, banner: JSON.stringify(waiting.text.slice(0, 60)) });
    });
  } finally {
    await p.close();
  }
});
