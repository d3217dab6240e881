// The watchdog in web/index.html: a wasm that aborts gets a DOM banner (#overlay with the reason
// and a countdown), then the page reloads itself (?abort_reload_s=2) once the server answers, and
// is LIVE again. If the server does not answer, it does not reload into an error page: it says so
// and waits. (The only scenario where a reload is the expected outcome.) A loop that stalls for
// 10 s gets the "stopped updating" banner; if it comes back before the reload, the reload is
// called off. A tab shown again after a long time hidden is not a stall, even when its first frame
// comes after the watchdog's next look.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, hold, summary, Hub, openPage, withArtifacts, PAGE_CONTROL, withConfig } = require('./lib/harness');

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

// Counts every time the banner is made visible from now on.
const watchBanner = (p) => p.page.evaluate(() => {
  const o = document.getElementById('overlay');
  window.__bannerShows = 0;
  new MutationObserver(() => { if (o.style.display !== 'none') ++window.__bannerShows; })
    .observe(o, { attributes: true, attributeFilter: ['style', 'class'] });
});

test('abort_reload_s from config.json: used when in range; out of range it is named on screen and the loader keeps 5 s', async () => {
  for (const [value, expectedS, bad] of [[2, 2, false], [0.5, 5, true]]) {
    const p = await openPage(browser, `${hub.url}?debug=1`, `watchdog-config-${value}`,
      { beforeGoto: withConfig({ abort_reload_s: value }) });
    try {
      await withArtifacts([p], async () => {
        const v = await p.waitLive();
        assert.deepEqual(v.configErrors.map((e) => e.key), bad ? ['abort_reload_s'] : [], `config errors for ${value}`);
        await p.page.evaluate(() => window.vigilDebug.abort());
        const banner = await until('the crash banner', async () => { const o = await overlay(p); return o.shown && /Reloading in/.test(o.text) && o; }, 5000, 20);
        // The countdown's first number (one less if a poll came more than a second late).
        const left = Number(/Reloading in (\d+) s/.exec(banner.text)[1]);
        assert.ok(left === expectedS || left === expectedS - 1, `abort_reload_s ${value} -> ${expectedS} s, banner: ${banner.text}`);
      });
    } finally {
      await p.close();
    }
  }
});

test('a loop stalled for 10 s: banner, then the reload is called off when the loop comes back', async () => {
  const p = await openPage(browser, `${hub.url}?watchdog_reload_s=6`, 'watchdog-stall',
    { beforeGoto: (page) => page.addInitScript(PAGE_CONTROL) });
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      const stalledAt = Date.now();
      await p.page.evaluate(() => { window.__loop.parked = true; });
      const banner = await until('the stall banner', async () => { const o = await overlay(p); return o.shown && /stopped updating/.test(o.text) && o; }, 20000, 50);
      const bannerMs = Date.now() - stalledAt;
      assert.ok(bannerMs >= 9500, `banner ${bannerMs} ms into the stall: not before 10 s`);
      assert.match(banner.text, /Reloading in \d+ s/);
      await p.page.evaluate(() => window.__loop.release());
      await until('the banner gone once the loop runs', async () => !(await overlay(p)).shown, 5000, 20);
      // The scenario: past the moment the reload was due (6 s after the banner).
      await hold(Math.max(0, stalledAt + bannerMs + 7000 - Date.now()));
      await p.assertNotReloaded();
      assert.equal((await overlay(p)).shown, false, 'no banner once recovered');
      assert.equal(await p.page.evaluate(() => window.vigilPage.stallsRecovered), 1);
      await p.waitLive(10000);
      summary('watchdog-stall', { banner_ms: bannerMs, recovered: 1 });
    });
  } finally {
    await p.close();
  }
});

test('a tab hidden for 12 s and shown again, its first frame 3 s late: no stall banner', async () => {
  const p = await openPage(browser, hub.url, 'watchdog-unhide', { beforeGoto: (page) => page.addInitScript(PAGE_CONTROL) });
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      await p.countFrames();
      await watchBanner(p);
      await p.page.evaluate(() => { window.__loop.parked = true; window.__loop.setHidden(true); });
      await hold(12000);  // the scenario: hidden longer than the watchdog's 10 s
      await p.page.evaluate(() => window.__loop.setHidden(false));
      await hold(3000);   // the scenario: shown, but the first frame comes late (past a watchdog look)
      const framesBefore = await p.frames();
      await p.page.evaluate(() => window.__loop.release());
      await until('the loop runs again', async () => (await p.frames()) > framesBefore + 3, 5000);
      assert.equal(await p.page.evaluate(() => window.__bannerShows), 0, 'the stall banner never showed');
      await p.assertNotReloaded();
      await p.waitLive(10000);
      summary('watchdog-unhide', { hidden_s: 12, first_frame_late_s: 3, banners: 0 });
    });
  } finally {
    await p.close();
  }
});
