// Wall profiles (issue 13, part 2) end to end: config.json `walls` picked with ?wall=NAME gives
// that wall's title, label filter, group-by label, tile metrics and layout; an unknown wall and a
// bad key are named on screen (configErrors, the notice band) while the good keys apply.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, launchBrowser, Hub, openPage, withArtifacts, tmpDir, hold } = require('./lib/harness');
const W = require('./tools/wall_fleet');

let hub, badHub, browser, fake;
test.before(async () => {
  hub = await new Hub({ args: ['--root', W.wallSite(env, tmpDir)] }).start();
  badHub = await new Hub({ args: ['--root', W.wallSite(env, tmpDir, {
    walls: { odd: { layout: 'grid', group_by: 'site', colour: 'red', filter: { site: ['A'] } } } })] }).start();
  browser = await launchBrowser();
  fake = await W.startWallHub(120);
});
test.after(async () => {
  fake?.close();
  await browser?.close();
  await hub?.kill('SIGTERM');
  await badHub?.kill('SIGTERM');
});

const open = (h, query, name) => openPage(browser, `${h.url}?ws=${encodeURIComponent(fake.url)}${query}`, name, { viewport: { width: 1920, height: 1080 } });

test('?wall=site-a: only site A\'s hosts, grouped by rack, as the overview, titled Site A', async () => {
  const p = await open(hub, '&wall=site-a', 'wall-site-a');
  try {
    await withArtifacts([p], async () => {
      // Waits for the fleet's alarms (w-0003 DOWN, w-0005 and w-0017 crit, w-0009 warn: none in site A).
      const v = await p.waitFor('site A overview', (s) => s.state === 'LIVE' && s.layout === 'overview' && s.overview.cells.length === 30 &&
        s.alarms >= 4 && s.downCount === 1 && s.drawnFrames >= s.frames, 30000, 250);
      assert.equal(v.wall, 'site-a');
      assert.equal(v.wallHosts, 30);
      assert.equal(v.hosts, 120, 'the fleet is all there; the wall shows its part');
      assert.ok(v.overview.cells.every((c) => Number(c.host.slice(2)) % 4 === 0), 'site A hosts only');
      assert.equal(v.overview.groupBy, 'rack');
      assert.deepEqual(v.overview.groups.map((g) => g.name), ['r1', 'r5'], 'site A (i % 4 == 0) is racks 1 and 5');
      assert.deepEqual(v.configErrors, []);
      // Its counters, footer and ticker are site A's: the other sites' alarms and DOWN host are not on it.
      assert.equal(v.wallAlarms, 0, `no alarm on site A (the fleet has ${v.alarms})`);
      assert.equal(v.wallAlarmsCrit, 0);
      assert.equal(v.wallDownCount, 0, 'w-0003 (site D) is DOWN, not on this wall');
      assert.equal(v.ticker, '', 'no other site\'s transitions in the ticker');
      await p.page.screenshot({ path: path.join(env.artifacts, 'wall-site-a.png') });
    });
  } finally {
    await p.context.close();
  }
});

test('?wall=paged keeps pages of detail tiles for 120 hosts', async () => {
  const p = await open(hub, '&wall=paged', 'wall-paged');
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitFor('paged tiles', (s) => s.state === 'LIVE' && s.hosts === 120 && s.tilesOnPage > 0 &&
        s.alarms >= 4 && s.downCount === 1 && s.drawnFrames >= s.frames, 30000, 250);
      assert.equal(v.layout, 'tiles');
      assert.ok(v.pages >= 8, `120 hosts on pages of at most 16 tiles (${v.pages})`);
      // DOWN w-0003 and crit w-0005, w-0017 on every page (rotate_s 2): watched over three pages.
      const pages = new Set();
      const deadline = Date.now() + 20000;
      while (pages.size < 3) {
        assert.ok(Date.now() < deadline, `three pages within 20 s (saw ${[...pages]})`);
        const s = await p.vigil();
        const hosts = s.tiles.map((t) => t.host);
        for (const h of ['w-0003', 'w-0005', 'w-0017']) assert.ok(hosts.includes(h), `${h} on page ${s.page}: ${hosts}`);
        assert.deepEqual(hosts.slice(0, 3), ['w-0003', 'w-0005', 'w-0017'], 'critical first');
        pages.add(s.page);
        await hold(250);
      }
    });
  } finally {
    await p.context.close();
  }
});

test('an unknown wall and bad wall keys are named on screen; the good keys apply', async () => {
  const p = await open(hub, '&wall=nope', 'wall-unknown');
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitFor('LIVE', (s) => s.state === 'LIVE' && s.hosts === 120 && s.layout === 'overview', 30000, 250);
      assert.equal(v.configErrors.length, 1);
      assert.equal(v.configErrors[0].key, '?wall');
      assert.match(v.configErrors[0].message, /no wall named "nope".*known: paged, site-a, sites/);
      assert.equal(v.wall, '');
      assert.equal(v.overview.cells.length, 120, 'every host shown');
    });
  } finally {
    await p.context.close();
  }
  const q = await open(badHub, '&wall=odd', 'wall-bad-keys');
  try {
    await withArtifacts([q], async () => {
      const v = await q.waitFor('LIVE', (s) => s.state === 'LIVE' && s.hosts === 120 && s.draws > 2, 30000, 250);
      assert.deepEqual(v.configErrors.map((e) => e.key).sort(), ['walls.odd.colour', 'walls.odd.layout']);
      assert.equal(v.wall, 'odd');
      assert.equal(v.wallHosts, 30, 'its filter applies beside the bad keys');
      assert.equal(v.layout, 'overview', 'layout: auto (the default) for 30 hosts that do not fit a page');
      await q.page.screenshot({ path: path.join(env.artifacts, 'wall-bad-keys.png') });
    });
  } finally {
    await q.context.close();
  }
});
