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

test('a new build that fails to start: the watchdog says which build and why', async () => {
  const broken = siteWithBuild('broken', (dir, manifest) => {
    const junk = Buffer.from('this is not a wasm module '.repeat(40));
    fs.writeFileSync(path.join(dir, 'index.wasm'), junk);
    manifest.files['index.wasm'] = { bytes: junk.length, sha256: crypto.createHash('sha256').update(junk).digest('hex') };
  });
  // A long abort_reload_s keeps the broken page still while the test reads it.
  const p = await openPage(browser, `${hub.url}?abort_reload_s=600`, 'self-update-broken', quietWall);
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      const origin = await originNow(p);
      env.site = broken.dir;
      await hub.restart();
      await until('the page reloaded into the new build', async () => { const o = await originNow(p); return o && o !== origin; }, 60000, 200);
      const shown = await until('the watchdog banner', () => p.page.evaluate(() => {
        const o = document.getElementById('overlay');
        const text = document.getElementById('overlay-text').textContent;
        return getComputedStyle(o).display !== 'none' && /failed to start/.test(text) && { text, update: window.vigilPage.update };
      }).catch(() => null), 30000, 100);
      assert.match(shown.text, new RegExp(`The new build .*-broken failed to start`));
      assert.equal(shown.update.state, 'failed_to_start');
      summary('self-update-broken', { banner: shown.text });
    });
  } finally {
    await p.close();
    env.site = builtSite;
  }
});
