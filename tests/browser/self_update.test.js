// A wall that picks up a new build by itself: the real hub is restarted on a site with another
// build id (a copy of the built site whose build.json names another id: the id lives in that
// file, so no second wasm build is needed); the page notices it when it reconnects, fetches and
// checks the new files against build.json, reloads itself at a quiet moment, once, and is LIVE
// again on the new build with its history back through the backfill and nothing missing.
// A tab that already reloaded for a build and still runs another never reloads again (no loop),
// files that do not match build.json (a half-copied upgrade) are never reloaded into, the periodic
// check picks the build up once they do, and a new build that fails to start is named by the watchdog.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { env, until, hold, summary, tmpDir, Hub, launchBrowser, openPage, withArtifacts } = require('./lib/harness');

const builtSite = env.site;
const idOf = (site) => JSON.parse(fs.readFileSync(path.join(site, 'build.json'), 'utf8')).build;

// A copy of the built site under another build id; `change(dir, manifest)` may alter files first.
function siteWithBuild(suffix, change) {
  const dir = tmpDir(`vigil-site-${suffix}-`);
  fs.cpSync(builtSite, dir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'build.json'), 'utf8'));
  manifest.build = `${manifest.build}-${suffix}`;
  if (change) change(dir, manifest);
  fs.writeFileSync(path.join(dir, 'build.json'), JSON.stringify(manifest, null, 2));
  return { dir, id: manifest.build };
}

// A quiet wall: the page reloads only when no alarm appears or clears for 10 s, and this machine's
// CPU under a build or a test flaps the local host's alarms. The page's own thresholds (config.json,
// served by the test for every load of the page) keep them silent.
const QUIET_KEYS = ['cpu', 'mem', 'load1', 'temp', ...Array.from({ length: 256 }, (_, i) => `cpu${i}`)];
const QUIET_CONFIG = { thresholds: Object.fromEntries(QUIET_KEYS.map((k) => [k, { warn: 1e12, crit: 1e12 }])) };
const quietWall = { beforeGoto: (page) => page.route('**/config.json', (route) =>
  route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(QUIET_CONFIG) })) };

const originNow = (p) => p.page.evaluate(() => performance.timeOrigin).catch(() => null);

let hub, browser;
test.before(async () => {
  assert.ok(fs.existsSync(path.join(builtSite, 'build.json')), 'the build writes build.json into the site');
  hub = new Hub();
  await hub.start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill();
  env.site = builtSite;
});

test('the hub restarted on a new build: the page reloads itself once, runs the new id, LIVE, nothing missing', async () => {
  const first = idOf(builtSite);
  const next = siteWithBuild('next');
  const p = await openPage(browser, hub.url, 'self-update', quietWall);
  try {
    await withArtifacts([p], async () => {
      const before = await p.waitLive();
      assert.equal(before.build, first, 'window.vigil.build is the site build id (build.json)');
      assert.equal(before.update.current, first);
      const origin = await originNow(p);
      await hold(3000);  // some history to come back

      env.site = next.dir;
      const restartedAt = Date.now();
      await hub.restart();
      let seen = null;  // the page's last word before it reloaded: in the error if it never does
      await until('the page reloaded itself', async () => {
        const o = await originNow(p);
        if (o && o !== origin) return true;
        seen = await p.page.evaluate(() => { const v = window.vigil; return { state: v.state, alarms: v.alarms, update: v.update }; }).catch(() => seen);
        return false;
      }, 60000, 200).catch((e) => { e.message += ` (page: ${JSON.stringify(seen)})`; throw e; });
      const reloadMs = Date.now() - restartedAt;
      const after = await p.waitFor('LIVE on the new build', (v) => v.state === 'LIVE' && v.build === next.id, 60000);
      assert.equal(after.missing, 0, 'no seq missing across the upgrade');
      assert.ok(after.replayed > 0, `the history came back through the backfill (replayed ${after.replayed})`);
      assert.equal(after.update.updatedFrom, first, 'the page knows what it ran before');
      assert.equal(await p.page.evaluate(() => sessionStorage.getItem('vigil.reloadedFor')), next.id);

      // Once per build: it stays on this document (the quiet period is 10 s, the check is at once).
      const newOrigin = await originNow(p);
      await hold(13000);
      assert.equal(await originNow(p), newOrigin, 'no second reload');
      const end = await p.vigil();
      assert.equal(end.state, 'LIVE');
      assert.equal(end.missing, 0);
      summary('self-update', { reloadMs, from: first, to: next.id, replayed: after.replayed, checks: end.update.checks });
    });
  } finally {
    await p.close();
  }
});

test('a build.json check the server never answers is given up after 10 s, and a later check still picks up the new build', async () => {
  const next = siteWithBuild('after-hang');
  let buildJsonRequests = 0;
  const p = await openPage(browser, hub.url, 'self-update-hung-check', {
    beforeGoto: async (page) => {
      await quietWall.beforeGoto(page);
      // The boot's read goes through; the first check (on connect) gets no answer, ever.
      await page.route('**/build.json', (route) => { if (++buildJsonRequests !== 2) route.continue(); });
    }
  });
  try {
    await withArtifacts([p], async () => {
      const before = await p.waitLive();
      const hung = await p.waitFor('the hung check given up', (v) => /build\.json: no progress for 10 s/.test(v.update.reason), 30000);
      assert.equal(hung.update.state, 'idle');
      assert.equal(hung.build, before.build);
      env.site = next.dir;
      await hub.restart();
      const after = await p.waitFor('LIVE on the new build', (v) => v.state === 'LIVE' && v.build === next.id, 90000);
      assert.ok(buildJsonRequests >= 3, `build.json read again after the hung check (${buildJsonRequests} requests)`);
      summary('self-update-hung-check', { requests: buildJsonRequests, checks: after.update.checks });
    });
  } finally {
    await p.close();  // the hub stays on the new build, as after the first test: the next one starts from it
  }
});

test('a new build ready while the page\'s server answers 503: no reload into the error, the reload once it answers', async () => {
  const next = siteWithBuild('server-back');
  let blocked = false, refusedProbes = 0;
  const p = await openPage(browser, hub.url, 'self-update-server-down', {
    beforeGoto: async (page) => {
      await quietWall.beforeGoto(page);
      // The page's own document (the loader's probe and the reload itself): 503 while blocked.
      await page.route((url) => url.pathname === '/', (route) => {
        if (!blocked) return route.continue();
        ++refusedProbes;
        return route.fulfill({ status: 503, contentType: 'text/plain', body: 'down for maintenance' });
      });
    }
  });
  try {
    await withArtifacts([p], async () => {
      const before = await p.waitLive();
      const origin = await originNow(p);
      blocked = true;
      env.site = next.dir;
      await hub.restart();
      const waiting = await p.waitFor('the reload held', (v) => v.update.state === 'ready' && /server does not answer \(HTTP 503\)/.test(v.update.reason), 60000);
      assert.equal(await originNow(p), origin, 'not reloaded into the 503');
      assert.equal(waiting.build, before.build, 'still the build it ran');
      blocked = false;
      const after = await p.waitFor('LIVE on the new build', (v) => v.state === 'LIVE' && v.build === next.id, 60000);
      assert.ok(refusedProbes >= 1);
      assert.equal(after.missing, 0);
      summary('self-update-server-down', { refusedProbes, reason: waiting.update.reason });
    });
  } finally {
    await p.close();  // the hub stays on the new build: the next test starts from it
  }
});

test('a tab that already reloaded for a build and still runs another does not reload again', async () => {
  const running = idOf(env.site);
  const p = await openPage(browser, hub.url, 'self-update-guard', quietWall);
  const offered = siteWithBuild('guard');
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      const origin = await originNow(p);
      // As if this tab had reloaded for `offered` once and come back on the old files.
      await p.page.evaluate((id) => sessionStorage.setItem('vigil.reloadedFor', id), offered.id);
      env.site = offered.dir;
      await hub.restart();
      const v = await p.waitFor('the guard holds', (s) => s.update && s.update.state === 'failed', 30000);
      assert.match(v.update.reason, new RegExp(`reloaded once for .*guard and still running`));
      assert.equal(v.build, running);
      await hold(12000);  // longer than the quiet period a reload would wait for
      assert.equal(await originNow(p), origin, 'no reload loop');
    });
  } finally {
    await p.close();
  }
});

test('files that do not match build.json are never loaded; fixed, the periodic check reloads into them', async () => {
  // The hub serves a folder that changes under it (no restart, no reconnect): only the page's
  // periodic build.json read (update_check_s, 10 s at least) can notice the new build.
  const dir = tmpDir('vigil-site-inplace-');
  fs.cpSync(builtSite, dir, { recursive: true });
  const first = idOf(dir);
  env.site = dir;
  await hub.restart();
  const p = await openPage(browser, `${hub.url}?update_check_s=10`, 'self-update-mismatch', quietWall);
  try {
    await withArtifacts([p], async () => {
      const before = await p.waitLive();
      assert.equal(before.build, first);
      const origin = await originNow(p);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'build.json'), 'utf8'));
      const good = manifest.files['index.wasm'];
      assert.ok(good && good.sha256, 'build.json lists index.wasm with its SHA-256');
      const next = `${first}-inplace`;
      const write = (wasm) => fs.writeFileSync(path.join(dir, 'build.json'),
        JSON.stringify({ ...manifest, build: next, files: { ...manifest.files, 'index.wasm': wasm } }, null, 2));

      // A half-copied upgrade: build.json names the new id, index.wasm is not what it says.
      write({ ...good, sha256: '0'.repeat(64) });
      const refused = await p.waitFor('the mismatch named', (v) => v.update.available === next && v.update.state === 'idle' &&
        /index\.wasm: SHA-256 differs from build\.json/.test(v.update.reason), 30000);
      await hold(21000);  // two periodic checks, each longer than the 10 s quiet period a reload would wait for
      const still = await p.vigil();
      assert.equal(await originNow(p), origin, 'files that fail the check are never reloaded into');
      assert.equal(still.build, first);
      assert.ok(still.update.checks >= refused.update.checks + 2, `the page keeps checking every 10 s (${refused.update.checks} -> ${still.update.checks})`);

      // The copy completes: the next periodic check passes and the page reloads into it, once.
      write(good);
      await until('the page reloaded itself', async () => { const o = await originNow(p); return o && o !== origin; }, 60000, 200);
      const after = await p.waitFor('LIVE on the fixed build', (v) => v.state === 'LIVE' && v.build === next, 60000);
      assert.equal(after.missing, 0);
      assert.equal(after.update.updatedFrom, first);
      summary('self-update-mismatch', { refusedWith: refused.update.reason, checksWhileRefused: still.update.checks - refused.update.checks });
    });
  } finally {
    await p.close();
    env.site = builtSite;
  }
});

test('a new build whose index.wasm does not compile is refused: the wall stays on the build it runs and says why', async () => {
  // build.json matches the junk (a build that was broken when it was made, not half-copied): only
  // compiling the module tells. Reloading into it would leave a failure banner on the wall.
  const broken = siteWithBuild('broken', (dir, manifest) => {
    const junk = Buffer.from('this is not a wasm module '.repeat(40));
    fs.writeFileSync(path.join(dir, 'index.wasm'), junk);
    manifest.files['index.wasm'] = { bytes: junk.length, sha256: crypto.createHash('sha256').update(junk).digest('hex') };
  });
  const p = await openPage(browser, hub.url, 'self-update-broken', quietWall);
  try {
    await withArtifacts([p], async () => {
      const before = await p.waitLive();
      const origin = await originNow(p);
      env.site = broken.dir;
      await hub.restart();
      const refused = await p.waitFor('the update refused', (v) => v.update && v.update.state === 'refused', 60000);
      assert.equal(refused.update.available, broken.id);
      assert.match(refused.update.reason, /index\.wasm does not compile here \(.+\): not reloading into it/);
      await hold(13000);  // longer than the 10 s quiet period a reload would wait for
      assert.equal(await originNow(p), origin, 'the page never reloads into a module that does not compile');
      const v = await p.vigil();
      assert.equal(v.state, 'LIVE');
      assert.equal(v.build, before.build, 'still the build it ran');
      assert.equal(v.update.state, 'refused');
      summary('self-update-broken', { reason: v.update.reason, checks: v.update.checks });
    });
  } finally {
    await p.close();
    env.site = builtSite;
  }
});

test('a build that compiles but fails to start: reloads back off (abort_reload_s doubling to abort_reload_max_s), banner says why', async () => {
  // The smallest valid module (no imports, no exports): it compiles, index.js cannot start with it.
  const noStart = siteWithBuild('nostart', (dir, manifest) => {
    const empty = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    fs.writeFileSync(path.join(dir, 'index.wasm'), empty);
    manifest.files['index.wasm'] = { bytes: empty.length, sha256: crypto.createHash('sha256').update(empty).digest('hex') };
  });
  env.site = noStart.dir;
  await hub.restart();
  const p = await openPage(browser, `${hub.url}?abort_reload_s=1&abort_reload_max_s=4`, 'self-update-nostart');
  try {
    await withArtifacts([p], async () => {
      // Each document's chosen delay, in the order the documents came (a reload is a new timeOrigin).
      const seen = new Map();
      await until('five failed starts', async () => {
        const s = await p.page.evaluate(() => ({
          origin: performance.timeOrigin,
          delay: window.vigilPage && window.vigilPage.reloadDelayS,
          failedStarts: window.vigilPage && window.vigilPage.failedStarts,
          text: document.getElementById('overlay-text').textContent
        })).catch(() => null);
        if (s && s.delay !== undefined && !seen.has(s.origin)) seen.set(s.origin, s);
        return seen.size >= 5;
      }, 90000, 50);
      const docs = [...seen.values()];
      assert.deepEqual(docs.map((d) => d.delay), [1, 2, 4, 4, 4], 'the reload delay doubles and stops at abort_reload_max_s');
      assert.deepEqual(docs.map((d) => d.failedStarts), [1, 2, 3, 4, 5]);
      assert.match(docs[0].text, /failed to start|crashed/);
      const gaps = docs.slice(1).map((d, i) => Math.round(d.origin - docs[i].origin));
      assert.ok(gaps[2] >= 3500 && gaps[3] >= 3500, `4 s between the later reloads (gaps ${gaps.join(', ')} ms)`);
      summary('self-update-nostart', { delays: docs.map((d) => d.delay), gapsMs: gaps, banner: docs[0].text.slice(0, 120) });
    });
  } finally {
    await p.close();
    env.site = builtSite;
  }
});

test('the quiet moment is the same alarms, not the same count: one alarm clearing as another appears holds the reload', async () => {
  env.site = builtSite;
  await hub.restart();
  const first = idOf(builtSite);
  const next = siteWithBuild('swap');
  const p = await openPage(browser, hub.url, 'self-update-swap', quietWall);
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      const origin = await originNow(p);
      // The count stays 1 while the set changes every 2 s (as alarms trading places would).
      await p.page.evaluate(() => {
        const real = Object.getOwnPropertyDescriptor(window, 'vigil').get;
        window.__swap = true;
        Object.defineProperty(window, 'vigil', { configurable: true, enumerable: true, get() {
          const v = real();
          v.alarms = 1;
          if (window.__swap) v.alarmsKey = `swap-${Math.floor(performance.now() / 2000)}`;
          return v;
        } });
      });
      env.site = next.dir;
      await hub.restart();
      await until('the new build ready', () => p.page.evaluate(() => window.vigilPage.update.state === 'ready').catch(() => false), 60000, 100);
      await hold(14000);  // longer than the 10 s quiet period
      assert.equal(await originNow(p), origin, 'no reload while the alarms keep changing');
      await p.page.evaluate(() => { window.__swap = false; });
      const calmAt = Date.now();
      await until('the page reloaded itself', async () => { const o = await originNow(p); return o && o !== origin; }, 30000, 200);
      const reloadMs = Date.now() - calmAt;
      assert.ok(reloadMs >= 9000, `reloaded ${reloadMs} ms after the alarms settled (quiet period 10 s)`);
      const after = await p.waitFor('LIVE on the new build', (v) => v.state === 'LIVE' && v.build === next.id, 60000);
      assert.equal(after.update.updatedFrom, first);
      summary('self-update-swap', { reloadAfterCalmMs: reloadMs });
    });
  } finally {
    await p.close();
  }
});
