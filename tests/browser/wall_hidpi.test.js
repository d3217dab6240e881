// The wall at fleet scale on a 4K wall (3840x2160 at devicePixelRatio 2): 16 hosts as detail
// tiles, 65, 500 and 1,000 as the overview (tools/wall_fleet.js), the same layout in design
// units as at 1920x1080, crisp (the font atlas within 2048), and the critical cell's colour on
// screen. Screenshots go to the build folder (wall-<n>-3840x2160@2.png).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, launchBrowser, Hub, openPage, withArtifacts, summary, tmpDir } = require('./lib/harness');
const W = require('./tools/wall_fleet');

let hub, browser;
test.before(async () => {
  hub = await new Hub({ args: ['--root', W.wallSite(env, tmpDir)] }).start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill('SIGTERM');
});

for (const n of [16, 65, 500, 1000]) {
  test(`${n} hosts at 3840x2160@2`, async () => {
    const fake = await W.startWallHub(n);
    const context = await browser.newContext({ viewport: { width: 3840, height: 2160 }, deviceScaleFactor: 2 });
    const p = await openPage(browser, `${hub.url}?ws=${encodeURIComponent(fake.url)}&wall=sites`, `wall-hidpi-${n}`, { context });
    try {
      await withArtifacts([p], async () => {
        const v = await p.waitFor(`${n} hosts drawn`, (s) => s.state === 'LIVE' && s.hosts === n && s.draws > 2 &&
          (n <= 16 ? s.tiles.some((t) => t.state === 'crit')
            : s.layout === 'overview' && s.overview.cells.filter((c) => c.state === 'crit').length === W.CRIT.filter((i) => i < n).length),
        90000, 500);
        assert.ok(v.atlas[0] <= 2048 && v.atlas[1] <= 2048, `atlas ${v.atlas}`);
        if (n <= 16) {
          assert.equal(v.layout, 'tiles');
          assert.equal(v.tiles.length, n);
        } else {
          const o = v.overview;
          assert.equal(o.cells.length, n);
          assert.ok(o.cellPx >= 24);
          // CSS pixels are design pixels times 2 on this canvas: a 24-unit cell is 48 CSS px.
          assert.ok(o.cells.every((c) => Math.abs(c.w - 2 * o.cellPx) < 0.2));
          const crit = o.cells.find((c) => c.state === 'crit');
          const rgb = await W.meanColour(p, W.cellClip(crit));
          assert.ok(W.near(rgb, W.COLOURS.crit), `crit cell colour ${rgb}`);
        }
        const shot = path.join(env.artifacts, `wall-${n}-3840x2160@2.png`);
        await p.page.screenshot({ path: shot, timeout: 180000 });
        summary(`wall-hidpi-${n}`, { layout: v.layout, cell_px: v.overview?.cellPx ?? '-', atlas: v.atlas.join('x'), frame_ms_p50: v.frameMsP50, shot });
      });
    } finally {
      await context.close();
      fake.close();
    }
  });
}
