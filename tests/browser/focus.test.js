// The focus panel shows a selected or a rotating host, end to end in the page: a mouse click on
// a fleet tile (at the rectangle window.vigil.tiles gives) pins that host, it stays past
// rotate_s, another tile switches the pin, a click on the focus panel makes it rotate again; taps
// do the same on a touch screen; ?focus=<id> pins at load and an unknown id leaves it rotating.
// Real hub, a simulated fleet that fits one page, rotate_s = 2 from the config; the clicks run at
// devicePixelRatio 2, the taps at 1.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { env, launchBrowser, until, Hub, openPage, withArtifacts, summary, tmpDir } = require('./lib/harness');

const ROTATE_S = 2;

let hub, browser, site;
test.before(async () => {
  // The shipped config with a short rotation, served by the same hub binary (a later --root wins).
  site = tmpDir('vigil-site-focus-');
  fs.cpSync(env.site, site, { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(env.site, 'config.json'), 'utf8'));
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify({ ...config, rotate_s: ROTATE_S }));
  // 6 simulated hosts, one page of tiles. Not this machine: its alarms come and go with the load
  // of the test itself, and each reorders the tiles.
  hub = await new Hub({ args: ['--simulate', '6', '--seed', '7', '--no-local', '--root', site] }).start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill('SIGTERM');
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

// Clicks (or taps, on a touch screen) the middle of a rectangle of window.vigil (CSS pixels from
// the canvas's top-left).
async function clickRect(p, r, how = 'click') {
  const canvas = await p.page.locator('#canvas').boundingBox();
  const x = canvas.x + r.x + r.w / 2, y = canvas.y + r.y + r.h / 2;
  if (how === 'tap') await p.page.touchscreen.tap(x, y);
  else await p.page.mouse.click(x, y);
}

// Clicks `host`'s tile and waits until the focus panel shows it pinned. The simulated fleet
// reorders its tiles when a host alarms or goes silent: only when the order changed between the
// read and the verdict is the click tried again.
async function clickTile(p, host, how = 'click') {
  for (let attempt = 1; ; ++attempt) {
    const before = await p.vigil();
    const tile = before.tiles.find((t) => t.host === host);
    assert.ok(tile, `${host} has a tile on the page shown (tiles: ${before.tiles.map((t) => t.host)})`);
    await clickRect(p, tile, how);
    const t0 = Date.now();
    try {
      const v = await p.waitFor(`${host} pinned by the ${how}`, (s) => s.focusHost === host && s.focusPinned, 5000);
      return { v, ms: Date.now() - t0 };
    } catch (e) {
      const order = (v) => v.tiles.map((t) => t.host).join();
      if (order(await p.vigil()) === order(before) || attempt >= 3) throw e;
    }
  }
}

// Reads window.vigil every 100 ms for ms and returns every snapshot (a short hold that proves
// something does not change).
async function samples(p, ms) {
  const out = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    out.push(await p.vigil());
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

// Waits until the focus panel has shown `n` hosts other than `from`, one after another.
async function seeRotation(p, from, n, what) {
  const seen = new Set();
  await until(what, async () => {
    const v = await p.vigil();
    if (v.focusPinned) return false;
    if (v.focusHost && v.focusHost !== from) seen.add(v.focusHost);
    return seen.size >= n;
  }, (n + 2) * ROTATE_S * 1000 + 5000, 100);
  return [...seen];
}

test('a click on a tile pins its host past rotate_s, another tile switches it, a click on the focus panel rotates again', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 2 });
  const p = await openPage(browser, hub.url, 'focus-click', { context });
  try {
    await withArtifacts([p], async () => {
      const v0 = await p.waitFor('LIVE with the fleet on one page', (s) => s.state === 'LIVE' && s.hosts >= 6 &&
        s.pages === 1 && s.tiles.length === s.hosts && s.focusHost, 60000, 200);
      assert.equal(v0.focusPinned, false, 'nothing pinned at load');
      assert.equal(v0.focusPin, '');
      assert.ok(v0.tiles.every((t) => t.w > 50 && t.h > 30 && t.x >= 0 && t.y >= 0 && t.x + t.w <= 1280 && t.y + t.h <= 720),
        `tiles in CSS pixels inside the 1280x720 canvas: ${JSON.stringify(v0.tiles)}`);
      // It rotates (with rotate_s = 2), so staying on one host below means the pin.
      await seeRotation(p, v0.focusHost, 1, 'the focus rotating before any click');

      // A host the panel is not showing right now.
      const now = await p.vigil();
      const first = now.tiles.map((t) => t.host).reverse().find((h) => h !== now.focusHost);
      const pinned = await clickTile(p, first);
      assert.equal(pinned.v.focusPin, first);
      const held = await samples(p, 2.5 * ROTATE_S * 1000);
      const off = held.filter((s) => s.focusHost !== first || !s.focusPinned);
      assert.equal(off.length, 0, `pinned to ${first} for ${2.5 * ROTATE_S} s, saw ${JSON.stringify(off.map((s) => [s.focusHost, s.focusPinned]))}`);
      assert.ok(held[held.length - 1].draws > held[0].draws, 'the screen kept drawing meanwhile');

      // Another tile switches the pin.
      const second = (await p.vigil()).tiles.map((t) => t.host).find((h) => h !== first);
      const switched = await clickTile(p, second);
      assert.equal(switched.v.focusPin, second);

      // The focus panel itself: back to rotating through the fleet.
      const before = await p.vigil();
      await clickRect(p, before.focusPanel);
      const free = await p.waitFor('the focus panel unpinned by the click', (s) => !s.focusPinned && s.focusPin === '', 5000);
      const rotated = await seeRotation(p, free.focusHost, 2, 'the focus rotating again after the panel was clicked');
      await p.assertNotReloaded();
      summary('focus-click', { pin_ms: pinned.ms, switch_ms: switched.ms, rotated: rotated.join(','), dpr: 2 });
      await p.page.screenshot({ path: path.join(env.artifacts, 'focus-click.png') });
    });
  } finally {
    await context.close();
  }
});

test('on a touch screen a tap on a tile pins its host, the first tap too, and a tap on the focus panel rotates again', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, hasTouch: true });
  const p = await openPage(browser, hub.url, 'focus-tap', { context });
  try {
    await withArtifacts([p], async () => {
      const v0 = await p.waitFor('LIVE with the fleet on one page', (s) => s.state === 'LIVE' && s.hosts >= 6 &&
        s.pages === 1 && s.tiles.length === s.hosts && s.focusHost, 60000, 200);
      const hosts = v0.tiles.map((t) => t.host).filter((h) => h !== v0.focusHost);
      const first = await clickTile(p, hosts[hosts.length - 1], 'tap');
      const second = await clickTile(p, hosts[0], 'tap');
      await clickRect(p, (await p.vigil()).focusPanel, 'tap');
      const free = await p.waitFor('the focus panel unpinned by the tap', (s) => !s.focusPinned && s.focusPin === '', 5000);
      await seeRotation(p, free.focusHost, 1, 'the focus rotating again after the panel was tapped');
      await p.assertNotReloaded();
      summary('focus-tap', { first_ms: first.ms, second_ms: second.ms });
    });
  } finally {
    await context.close();
  }
});

test('?focus=<host id> pins the focus panel at load; an id not in the fleet leaves it rotating', async () => {
  // A host of the simulated fleet, as the hub names it.
  const probe = await openPage(browser, hub.url, 'focus-probe');
  let host;
  try {
    const v = await probe.waitFor('the fleet', (s) => s.hosts >= 6 && s.tiles.length >= 6, 60000, 200);
    host = v.tiles[v.tiles.length - 1].host;
  } finally {
    await probe.close();
  }

  const p = await openPage(browser, `${hub.url}?focus=${encodeURIComponent(host)}`, 'focus-query');
  const q = await openPage(browser, `${hub.url}?focus=no-such-host`, 'focus-query-unknown');
  try {
    await withArtifacts([p, q], async () => {
      const v = await p.waitFor(`${host} pinned from the URL`, (s) => s.state === 'LIVE' && s.focusHost === host && s.focusPinned, 60000, 200);
      assert.equal(v.focusPin, host);
      assert.deepEqual(v.configErrors, []);
      const held = await samples(p, 1.5 * ROTATE_S * 1000);
      assert.ok(held.every((s) => s.focusHost === host && s.focusPinned), `stays on ${host} past rotate_s`);

      const u = await q.waitFor('LIVE with the fleet', (s) => s.state === 'LIVE' && s.hosts >= 6 && s.focusHost, 60000, 200);
      assert.equal(u.focusPin, 'no-such-host', 'the pin is kept for when the host appears');
      assert.equal(u.focusPinned, false);
      await seeRotation(q, u.focusHost, 1, 'the focus rotating while the pinned host is not in the fleet');
      summary('focus-query', { host, unknown_rotates: true });
    });
  } finally {
    await p.close();
    await q.close();
  }
});
