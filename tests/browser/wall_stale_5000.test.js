// 5,000 hosts whose hub stops sending: every cell goes stale, and a stale cell's ring (~52
// vertices) makes the one window draw list of the screen far bigger than 65,535 vertices. ImGui is
// built with 32-bit indices (src/CMakeLists.txt): with 16-bit ones the indices wrap and the late
// cells (the last hosts drawn) are garbage or missing. This test checks that the frame really is
// past 65,536 vertices and that the last cells drawn are stale grey with their ring where expected.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, hubAndBrowser, openPage, withArtifacts, summary, tmpDir } = require('./lib/harness');
const W = require('./tools/wall_fleet');

const shared = hubAndBrowser(test, { hubArgs: ['--root', W.wallSite(env, tmpDir)] });
const STALE = [120, 128, 140];  // ui/theme.h kStale

test('5,000 hosts gone stale: > 65,536 vertices in the frame, the last cells drawn are stale grey with their ring', async () => {
  const fake = await W.startWallHub(5000);
  const p = await openPage(shared.browser, `${shared.hub.url}?ws=${encodeURIComponent(fake.url)}&wall=sites`, 'wall-stale-5000',
    { viewport: { width: 1920, height: 1080 } });
  try {
    await withArtifacts([p], async () => {
      await p.waitFor('5,000 cells, LIVE', (s) => s.state === 'LIVE' && s.layout === 'overview' && s.overview &&
        s.overview.cells.length === 5000, 90000, 500);
      // The hub stops sending frames (its socket stays open: pongs go on): every host goes stale.
      clearInterval(fake.timer);
      const v = await p.waitFor('every reporting host stale', (s) => s.overview && s.overview.cells.length === 5000 &&
        s.overview.cells.filter((c) => c.state === 'stale').length >= 4990 && s.drawVertices > 0, 60000, 500);
      // Polled until the last drawn frame shows them (the clock draws every second).
      const s = await p.waitFor('a drawn frame of stale cells', (x) => x.drawVertices > 65536, 10000, 250).catch(() => v);
      const o = s.overview;
      const stale = o.cells.filter((c) => c.state === 'stale');
      summary('wall-stale-5000', { vertices: s.drawVertices, indices: s.drawIndices, draw_calls: s.drawCalls, cell_px: o.cellPx,
        stale: stale.length });
      assert.ok(s.drawVertices > 65536, `the frame is past 16-bit indices (${s.drawVertices} vertices)`);
      // The last cells drawn (cells[] is in drawing order: groups in order, worst first within).
      const late = stale.slice(-3);
      for (const c of late) {
        const fill = await W.meanColour(p, W.cellClip(c));
        assert.ok(W.near(fill, STALE, 24), `${c.host} (a late cell) is stale grey: ${fill} (want ${STALE})`);
        // The ring: its ink (the background) on the right of the centre, at 0.26 of the cell.
        const r = c.w * 0.26;
        const ring = await W.meanColour(p, { x: c.x + c.w * 0.5 + r - 0.5, y: c.y + c.h * 0.5 - 0.5, width: 1, height: 1 });
        assert.ok(ring.every((k, i) => k < STALE[i] - 30), `${c.host}'s ring is drawn: ${ring} darker than ${STALE}`);
      }
      await p.page.screenshot({ path: path.join(env.artifacts, 'wall-stale-5000-1920x1080.png') });
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});
