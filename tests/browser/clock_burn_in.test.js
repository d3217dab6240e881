// Screen care on the real page: with burn_in {period_s: 2, amplitude_px: 3} the whole screen (the
// tiles with it) moves round its orbit every 2 s, in whole design pixels; burn_in false keeps it still.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { until, summary, openPage, withArtifacts, hubAndBrowser, withConfig } = require('./lib/harness');

const ctx = hubAndBrowser(test);
test('the screen shifts every period, tiles with it; burn_in false keeps it still', async () => {
  const moving = await openPage(ctx.browser, ctx.hub.url, 'burn-in', { beforeGoto: withConfig({ burn_in: { period_s: 2, amplitude_px: 3 } }) });
  const still = await openPage(ctx.browser, ctx.hub.url, 'burn-in-off', { beforeGoto: withConfig({ burn_in: false }) });
  try {
    await withArtifacts([moving, still], async () => {
      const a = await moving.waitFor('tiles drawn', (v) => v.state === 'LIVE' && v.tiles.length > 0, 30000);
      const b = await until('the next burn-in step', async () => {
        const v = await moving.vigil();
        return v.burnIn.step !== a.burnIn.step && v.tiles.length > 0 && v;
      }, 10000, 100);
      const scale = 1280 / 1920;  // CSS pixels per design pixel in a 1280x720 viewport
      for (const v of [a, b]) {
        assert.ok(Math.abs(v.burnIn.dx) <= 3 && Math.abs(v.burnIn.dy) <= 3, JSON.stringify(v.burnIn));
        assert.equal(v.burnIn.periodS, 2);
      }
      assert.ok(a.burnIn.dx !== b.burnIn.dx || a.burnIn.dy !== b.burnIn.dy, 'the offset changed');
      const ta = a.tiles.find((t) => t.host === b.tiles[0].host), tb = b.tiles[0];
      assert.ok(Math.abs((tb.x - ta.x) - (b.burnIn.dx - a.burnIn.dx) * scale) < 0.25, `tile x moved with the screen: ${ta.x} -> ${tb.x}`);
      assert.ok(Math.abs((tb.y - ta.y) - (b.burnIn.dy - a.burnIn.dy) * scale) < 0.25, `tile y moved with the screen: ${ta.y} -> ${tb.y}`);

      const s = await still.waitFor('tiles drawn', (v) => v.state === 'LIVE' && v.tiles.length > 0, 30000);
      assert.deepEqual([s.burnIn.dx, s.burnIn.dy, s.burnIn.periodS], [0, 0, 0]);
      summary('burn-in', { from: `${a.burnIn.dx},${a.burnIn.dy}`, to: `${b.burnIn.dx},${b.burnIn.dy}` });
    });
  } finally {
    await moving.close();
    await still.close();
  }
});
