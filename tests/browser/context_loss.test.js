// WebGL context loss and restore, judged by what is on screen: the canvas shows the screen again
// (pixels of a screenshot close to the ones before the loss), not only a draw counter that moved.
// A lost context composites as an empty canvas, so the same comparison tells the two apart.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, launchBrowser, Hub, openPage, withArtifacts, summary } = require('./lib/harness');

let hub, browser;
test.before(async () => {
  hub = await new Hub({ args: ['--simulate', '16', '--seed', '7'] }).start();
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
  await hub?.kill('SIGTERM');
});

// A screenshot as a grid of mean colours (cols x rows cells), decoded by the browser itself in a
// blank page (no PNG decoder in node_modules).
async function colourGrid(context, png, cols = 48, rows = 27) {
  const page = await context.newPage();
  try {
    return await page.evaluate(async ({ b64, cols, rows }) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = cols; c.height = rows;
      const g = c.getContext('2d');
      g.imageSmoothingQuality = 'high';
      g.drawImage(img, 0, 0, cols, rows);
      return Array.from(g.getImageData(0, 0, cols, rows).data);
    }, { b64: png.toString('base64'), cols, rows });
  } finally {
    await page.close();
  }
}

// Fraction of cells whose colour differs by more than `tol` (0-255, any channel) between two grids.
function cellsDiffering(a, b, tol = 24) {
  let differ = 0, cells = 0;
  for (let i = 0; i < a.length; i += 4, ++cells) {
    if (Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]), Math.abs(a[i + 2] - b[i + 2])) > tol) ++differ;
  }
  return differ / cells;
}

test('WebGL context loss and restore: the screen is drawn again (pixels), the wasm keeps running, no reload', async () => {
  const p = await openPage(browser, hub.url, 'screen-context-loss');
  try {
    await withArtifacts([p], async () => {
      await p.waitFor('LIVE with the fleet drawn', (s) => s.state === 'LIVE' && s.hosts >= 17 && s.draws > 3, 30000, 100);
      const before = await colourGrid(p.context, await p.page.screenshot());
      await p.page.evaluate(() => {
        window.__lose = document.getElementById('canvas').getContext('webgl2').getExtension('WEBGL_lose_context');
        window.__lose.loseContext();
      });
      await p.page.waitForFunction(() => document.getElementById('canvas').getContext('webgl2').isContextLost());
      const lostShot = await p.page.screenshot({ path: path.join(env.artifacts, 'screen-context-lost.png') });
      const lost = await colourGrid(p.context, lostShot);
      const lostState = await p.vigil();
      await p.page.evaluate(() => window.__lose.restoreContext());
      const after = await p.waitFor('drawing again after the restore', (s) => s.draws > lostState.draws + 2, 20000, 100);
      assert.equal(after.state, 'LIVE');
      const restored = await colourGrid(p.context,
        await p.page.screenshot({ path: path.join(env.artifacts, 'screen-after-context-restore.png') }));
      await p.assertNotReloaded();
      // Values, clock and sparklines move between the shots; the layout, tiles and text stay.
      const whileLost = cellsDiffering(before, lost), afterRestore = cellsDiffering(before, restored);
      summary('context-loss', { cells_differing_while_lost: whileLost.toFixed(3), cells_differing_after_restore: afterRestore.toFixed(3) });
      assert.ok(whileLost > 0.3, `a lost context shows an empty canvas (${whileLost} of cells differ)`);
      assert.ok(afterRestore < whileLost / 3, `after the restore the screen looks as before (${afterRestore} vs ${whileLost} while lost)`);
    });
  } finally {
    await p.context.close();
  }
});
