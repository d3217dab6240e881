// Honest state per host (issue 12, item 4), end to end in the page against a scripted protocol
// hub (tools/scripted_hub.js): a host the hub lists in samples.down is DOWN on its tile in words
// ("UNREACHABLE: <reason>, since hh:mm:ss", local time) on the DOWN colour, counted (downCount,
// a crit alarm) and back up without a reload; the three failures stay distinct: the hub gone is
// the banner while the DOWN tile keeps its words, a metric that stops is greyed alone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, launchBrowser, Hub, openPage, withArtifacts, summary, meanColour } = require('./lib/harness');
const { ScriptedHub } = require('./tools/scripted_hub');

let hub, browser;
test.before(async () => {
  hub = await new Hub().start();  // serves the page only
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill('SIGTERM');
});

const HOSTS = [
  { id: 'db-01', labels: { site: 'A', rack: 'r3', role: 'db' } },
  { id: 'web-01', labels: { site: 'A', rack: 'r1', role: 'web' } },
  { id: 'web-02' },
];

// A few pixels inside a tile's DOWN band, left of its centred text (screen.cpp: the band spans
// the tile but 6 design units each side, the text starts at least 22 in).
function bandClip(tile) {
  return { x: tile.x + tile.w * 0.03, y: tile.y + tile.h / 2, width: 2, height: 4 };
}

const localClock = (p, ms) => p.page.evaluate((t) => new Date(t).toTimeString().slice(0, 8), ms);

test('a DOWN host says UNREACHABLE with the reason and the local time of since, raises a crit alarm, and comes back up', async () => {
  const fake = await new ScriptedHub({ intervalMs: 500, hosts: HOSTS, metrics: ['cpu', 'mem'] }).start();
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(fake.url)}`, 'host-down');
  try {
    await withArtifacts([p], async () => {
      const up = await p.waitFor('three hosts live, labels known', (v) => v.state === 'LIVE' && v.hosts === 3 &&
        v.tiles.length === 3 && v.tiles.every((t) => t.state === 'ok'), 30000);
      assert.deepEqual(up.hostLabels['db-01'], { site: 'A', rack: 'r3', role: 'db' });
      assert.deepEqual(up.hostLabels['web-01'], { site: 'A', rack: 'r1', role: 'web' });
      assert.equal(up.hostLabels['web-02'], undefined, 'a host without labels has no entry');
      assert.deepEqual(up.hostsDown, {});
      assert.equal(up.downCount, 0);
      assert.equal(up.alarmsCrit, 0);

      const since = Date.now() - 4000;
      fake.down['db-01'] = { reason: 'connection refused', since };
      // tiles are the last drawn frame's: wait for the frame that draws it, not only the model.
      const v = await p.waitFor('db-01 DOWN on its tile', (s) => s.downCount === 1 &&
        s.tiles.some((t) => t.host === 'db-01' && t.state === 'down'), 10000);
      const want = `UNREACHABLE: connection refused, since ${await localClock(p, since)}`;
      assert.deepEqual(v.hostsDown, { 'db-01': { reason: 'connection refused', since } });
      const tile = v.tiles.find((t) => t.host === 'db-01');
      assert.equal(tile.state, 'down');
      assert.equal(tile.text, want);
      assert.equal(v.tiles[0].host, 'db-01', 'a DOWN host comes first, like a critical one');
      assert.ok(v.tiles.filter((t) => t.host !== 'db-01').every((t) => t.state === 'ok' && t.text === undefined));
      assert.equal(v.alarmsCrit, 1, 'a DOWN host is a crit alarm');
      assert.equal(v.state, 'LIVE', 'the link is fine: no banner for a host the hub cannot reach');
      assert.equal(v.hostStates['db-01'], 'fresh', 'hostStates keeps its freshness meaning');
      // Its last values are kept, drawn as DOWN: the band's colour on screen.
      const colour = await meanColour(p, bandClip(tile));
      assert.ok(colour[0] > 80 && colour[0] < 150 && colour[1] < 60 && colour[2] > 60 && colour[2] < 130,
        `the DOWN band (100,30,118) at ${JSON.stringify(bandClip(tile))}: ${colour}`);
      const okTile = v.tiles.find((t) => t.host === 'web-01');
      const okColour = await meanColour(p, bandClip(okTile));
      assert.ok(!(okColour[0] > 80 && okColour[1] < 60 && okColour[2] > 60), `a live tile is not DOWN-coloured: ${okColour}`);
      await p.page.screenshot({ path: path.join(env.artifacts, 'host-down.png') });

      // Stale by age does not change what it says: still DOWN, now also stale in hostStates.
      const later = await p.waitFor('db-01 stale by age, still DOWN', (s) => s.hostStates['db-01'] === 'stale', 10000);
      assert.equal(later.tiles.find((t) => t.host === 'db-01').state, 'down');
      assert.equal(later.tiles.find((t) => t.host === 'db-01').text, want);
      assert.equal(later.alarmsCrit, 1);

      delete fake.down['db-01'];
      const back = await p.waitFor('db-01 up again', (s) => s.downCount === 0 &&
        s.tiles.find((t) => t.host === 'db-01').state === 'ok', 10000);
      assert.deepEqual(back.hostsDown, {});
      assert.equal(back.alarmsCrit, 0, 'its alarm cleared');
      assert.equal(back.tiles.find((t) => t.host === 'db-01').text, undefined);
      await p.assertNotReloaded();
      summary('host-down', { reason: 'connection refused', text: want });
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});

test('three failures stay distinct: a DOWN host, a metric that stops (greyed alone), the hub gone (banner; DOWN keeps its words)', async () => {
  const fake = await new ScriptedHub({ intervalMs: 500, hosts: HOSTS.map((h) => ({ ...h })), metrics: ['cpu', 'mem'] }).start();
  const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(fake.url)}`, 'host-down-distinct');
  try {
    await withArtifacts([p], async () => {
      await p.waitFor('three hosts live', (v) => v.state === 'LIVE' && v.tiles.length === 3, 30000);
      const since = Date.now() - 60000;
      fake.down['db-01'] = { reason: 'timeout after 800 ms', since };
      fake.hosts.find((h) => h.id === 'web-01').omit = ['mem'];  // web-01 stops sending mem
      const v = await p.waitFor('db-01 DOWN and web-01 mem stale', (s) => s.downCount === 1 &&
        s.tiles.some((t) => t.host === 'db-01' && t.state === 'down') &&
        s.metricsStale['web-01'] && s.metricsStale['web-01'].includes('mem'), 15000);
      const want = `UNREACHABLE: timeout after 800 ms, since ${await localClock(p, since)}`;
      assert.equal(v.tiles.find((t) => t.host === 'db-01').text, want);
      assert.deepEqual(v.metricsStale['web-01'], ['mem'], 'only the metric that stopped');
      assert.equal(v.hostStates['web-01'], 'fresh', 'its host is fresh');
      assert.notEqual(v.tiles.find((t) => t.host === 'web-01').state, 'down');
      assert.equal(v.hostsDown['web-01'], undefined);
      assert.equal(v.state, 'LIVE');

      fake.close();  // the page cannot reach the hub: the banner says so
      const gone = await p.waitFor('the banner leaves LIVE', (s) => s.state !== 'LIVE', 15000);
      assert.ok(['RECONNECTING', 'STALE', 'CONNECTING', 'OFFLINE'].includes(gone.state), gone.state);
      const tile = gone.tiles.find((t) => t.host === 'db-01');
      assert.equal(tile.state, 'down', 'the last word of the hub stays: DOWN');
      assert.equal(tile.text, want, 'the DOWN tile keeps its text');
      assert.equal(gone.downCount, 1);
      await p.page.screenshot({ path: path.join(env.artifacts, 'host-down-hub-gone.png') });
      await p.assertNotReloaded();
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});
