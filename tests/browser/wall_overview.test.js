// The wall at fleet scale (issue 13, part 1) at 1920x1080, end to end in the page against a
// scripted hub (tools/wall_fleet.js: labelled hosts, some crit, warn, DOWN, never heard):
// 16 hosts stay detail tiles; 65, 500 and 1,000 are an overview of every host at once, grouped
// by site with one health line per group, critical first in each group, cells of at least 24
// design px, detail tiles for the hosts needing attention, the critical ones on every page of
// their rotation; pixel checks of cells' colours; a click on a cell pins its host. Screenshots go
// to the build folder (wall-<n>-1920x1080.png).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, hubAndBrowser, openPage, withArtifacts, summary, tmpDir, hold } = require('./lib/harness');
const W = require('./tools/wall_fleet');

// The hub serves the page only; its config.json has the walls `sites` (group_by site) and `racks`.
const shared = hubAndBrowser(test, { hubArgs: ['--root', W.wallSite(env, tmpDir, {
  walls: { sites: { title: 'All sites', group_by: 'site' }, racks: { title: 'Racks', group_by: 'rack' } } })] });

async function openWall(fake, name, query = '') {
  return openPage(shared.browser, `${shared.hub.url}?ws=${encodeURIComponent(fake.url)}${query}`, name, { viewport: { width: 1920, height: 1080 } });
}

test('16 hosts: one page of detail tiles, each with its state', async () => {
  const fake = await W.startWallHub(16);
  const p = await openWall(fake, 'wall-16', '&wall=sites');
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitFor('16 tiles, states settled', (s) => s.state === 'LIVE' && s.tiles.length === 16 &&
        s.tiles.some((t) => t.state === 'down') && s.tiles.some((t) => t.state === 'never'), 30000, 250);
      assert.equal(v.layout, 'tiles');
      assert.equal(v.overview, null);
      assert.equal(v.pages, 1);
      for (const t of v.tiles) assert.equal(t.state, W.expectedState(Number(t.host.slice(2)), 16), t.host);
      assert.equal(v.tiles[0].state, 'down', 'DOWN first');
      await p.page.screenshot({ path: path.join(env.artifacts, 'wall-16-1920x1080.png') });
      summary('wall-16', { layout: v.layout, tiles: v.tiles.length, draw_calls: v.drawCalls, vertices: v.drawVertices });
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});

for (const n of [65, 500, 1000]) {
  test(`${n} hosts: every host a cell, grouped by site, critical first, attention in detail tiles, colours on screen`, async () => {
    const fake = await W.startWallHub(n);
    const p = await openWall(fake, `wall-${n}`, '&wall=sites');
    try {
      await withArtifacts([p], async () => {
        const v = await p.waitFor(`${n} cells, states settled`, (s) => s.state === 'LIVE' && s.layout === 'overview' &&
          s.overview.cells.length === n && s.overview.cells.some((c) => c.state === 'down') &&
          s.overview.cells.filter((c) => c.state === 'crit').length === W.CRIT.filter((i) => i < n).length &&
          s.overview.cells.some((c) => c.state === 'never'), 60000, 300);
        const o = v.overview;
        assert.equal(v.wall, 'sites');
        assert.equal(o.groupBy, 'site');
        assert.equal(new Set(o.cells.map((c) => c.host)).size, n, 'every host once');
        for (const c of o.cells) assert.equal(c.state, W.expectedState(Number(c.host.slice(2)), n), c.host);
        assert.ok(o.cellPx >= 24, `cells of at least 24 design px (${o.cellPx})`);
        assert.equal(o.fits, true);
        // Cells inside the canvas, none overlapping (they are on a grid: distinct top-left corners).
        assert.ok(o.cells.every((c) => c.x >= 0 && c.y >= 0 && c.x + c.w <= 1920 && c.y + c.h <= 1080));
        assert.equal(new Set(o.cells.map((c) => `${c.x},${c.y}`)).size, n);
        // Groups: A-D in order, each with its health line in words, worst first within it.
        assert.deepEqual(o.groups.map((g) => g.name), ['A', 'B', 'C', 'D']);
        for (const g of o.groups) {
          const cells = o.cells.filter((c) => c.group === g.name);
          assert.equal(cells.length, g.hosts);
          assert.ok(cells.every((c) => 'ABCD'[Number(c.host.slice(2)) % 4] === g.name), `${g.name}: its own hosts`);
          const rank = ['down', 'crit', 'warn', 'stale', 'never', 'ok'];
          for (let k = 1; k < cells.length; ++k) assert.ok(rank.indexOf(cells[k - 1].state) <= rank.indexOf(cells[k].state), `${g.name}: worst first`);
          assert.ok(cells.every((c) => c.y > g.y), 'cells below their line');
          assert.match(g.text, new RegExp(`^site ${g.name} · ${g.hosts} hosts`));
          for (const [state, count] of Object.entries(g.counts)) if (count && state === 'crit') assert.match(g.text, new RegExp(`${count} CRIT`));
        }
        assert.match(o.groups[3].text, /1 DOWN/, 'w-0003 is site D');
        // Detail tiles: the hosts needing attention, critical ones (DOWN, crit) on every page.
        const critical = o.cells.filter((c) => c.state === 'down' || c.state === 'crit').map((c) => c.host);
        assert.ok(v.tiles.length > 0 && v.tiles.length <= 4);
        for (const h of critical) assert.ok(v.tiles.some((t) => t.host === h), `critical ${h} has a detail tile`);
        assert.ok(v.tiles.every((t) => t.state !== 'ok'), 'only hosts needing attention get a tile');
        // Pixels: a critical cell is the critical colour, a DOWN cell the DOWN colour, an ok one calm green.
        const crit = o.cells.find((c) => c.state === 'crit');
        const down = o.cells.find((c) => c.state === 'down');
        const ok = o.cells.find((c) => c.state === 'ok');
        const rgb = { crit: await W.meanColour(p, W.cellClip(crit)), down: await W.meanColour(p, W.cellClip(down)), ok: await W.meanColour(p, W.cellClip(ok)) };
        for (const k of Object.keys(rgb)) assert.ok(W.near(rgb[k], W.COLOURS[k]), `${k} cell colour ${rgb[k]} (want ${W.COLOURS[k]})`);
        // Readable without colour: the state's mark is drawn in every cell that needs attention
        // (the centre is the mark's dark ink), and an ok cell is plain.
        const warn = o.cells.find((c) => c.state === 'warn');
        const marks = { crit: await W.meanColour(p, W.markClip(crit)), down: await W.meanColour(p, W.markClip(down)),
          warn: await W.meanColour(p, W.markClip(warn)), ok: await W.meanColour(p, W.markClip(ok)) };
        for (const k of ['crit', 'down', 'warn']) assert.ok(W.near(marks[k], W.BACKGROUND, 40), `${k} cell's mark: centre ${marks[k]} (want the ink ${W.BACKGROUND})`);
        assert.ok(W.near(marks.ok, W.COLOURS.ok), `an ok cell is plain: centre ${marks.ok}`);
        await p.page.screenshot({ path: path.join(env.artifacts, `wall-${n}-1920x1080.png`) });
        summary(`wall-${n}`, { cell_px: o.cellPx, groups: o.groups.length, tiles: v.tiles.length, pages: v.pages,
          draw_calls: v.drawCalls, vertices: v.drawVertices, frame_ms_p50: v.frameMsP50, crit_rgb: rgb.crit.join('/') });
      });
    } finally {
      await p.context.close();
      fake.close();
    }
  });
}

for (const racks of [8, 40]) {
  test(`1,000 hosts in ${racks} racks: the groups share rows, each line inline before its cells, cells of at least 24 px, detail tiles kept`, async () => {
    const fake = await W.startWallHub(1000);
    if (racks !== 8) fake.hosts.forEach((h, i) => { h.labels = { ...h.labels, rack: `r${String(1 + (i % racks)).padStart(2, '0')}` }; });
    const p = await openWall(fake, `wall-racks-${racks}`, '&wall=racks');
    try {
      await withArtifacts([p], async () => {
        const v = await p.waitFor(`${racks} racks, states settled`, (s) => s.state === 'LIVE' && s.layout === 'overview' &&
          s.overview.cells.length === 1000 && s.overview.cells.some((c) => c.state === 'down') &&
          s.overview.cells.filter((c) => c.state === 'crit').length === W.CRIT.length &&
          s.overview.cells.some((c) => c.state === 'never') && s.tiles.length > 0, 60000, 300);
        const o = v.overview;
        assert.equal(o.groupBy, 'rack');
        assert.equal(o.groups.length, racks);
        assert.ok(o.cellPx >= 24, `cells of at least 24 design px (${o.cellPx})`);
        assert.equal(o.fits, true);
        assert.equal(o.belowMinimum, false);
        const critical = o.cells.filter((c) => c.state === 'down' || c.state === 'crit').map((c) => c.host);
        for (const h of critical) assert.ok(v.tiles.some((t) => t.host === h), `critical ${h} has a detail tile`);
        const mosaicTop = Math.max(...v.tiles.map((t) => t.y + t.h));
        const rank = ['down', 'crit', 'warn', 'stale', 'never', 'ok'];
        let midRow = 0;
        for (const g of o.groups) {
          const cells = o.cells.filter((c) => c.group === g.name);
          assert.equal(cells.length, g.hosts);
          assert.match(g.text, new RegExp(`^rack ${g.name} · ${g.hosts} hosts`));
          // The line on its first cell's row, just left of it, below the detail tiles.
          assert.ok(Math.abs(cells[0].y - g.y) < 0.5 && g.x + g.w < cells[0].x && cells[0].x - (g.x + g.w) < 8, `${g.name}: line inline before its cells`);
          assert.ok(g.y > mosaicTop, `${g.name}: below the detail tiles`);
          for (let k = 1; k < cells.length; ++k) assert.ok(rank.indexOf(cells[k - 1].state) <= rank.indexOf(cells[k].state), `${g.name}: worst first`);
          for (const c of o.cells) assert.ok(!(c.y < g.y + g.h && g.y < c.y + c.h && c.x < g.x + g.w && g.x < c.x + c.w), `${g.name}'s line clear of ${c.host}`);
          if (g.x > 20.5) ++midRow;
        }
        assert.ok(midRow > 0, 'small groups share rows');
        assert.equal(new Set(o.cells.map((c) => `${c.x},${c.y}`)).size, 1000);
        assert.ok(o.cells.every((c) => c.x >= 0 && c.y >= 0 && c.x + c.w <= 1390.5 && c.y + c.h <= 1020.5), 'inside the fleet area');
        const crit = o.cells.find((c) => c.state === 'crit');
        const rgb = await W.meanColour(p, W.cellClip(crit));
        assert.ok(W.near(rgb, W.COLOURS.crit), `crit cell colour ${rgb}`);
        await p.page.screenshot({ path: path.join(env.artifacts, `wall-racks-${racks}-1920x1080.png`) });
        summary(`wall-racks-${racks}`, { cell_px: o.cellPx, groups: o.groups.length, tiles: v.tiles.length,
          frame_ms_p50: v.frameMsP50, screen_ms_p50: v.screenMsP50, line: o.groups[0].text });
      });
    } finally {
      await p.context.close();
      fake.close();
    }
  });
}

test('1,000 hosts, more needing attention than tiles: the rotation never hides a critical host, the others come round', async () => {
  const fake = await W.startWallHub(1000);
  // Three more warn hosts: 2 crit + 1 DOWN stay, 4 warn + 1 never share the one tile left.
  for (const i of [40, 41, 42]) fake.hosts[i].values.cpu = 85;
  const p = await openWall(fake, 'wall-rotation', '&wall=sites');
  try {
    await withArtifacts([p], async () => {
      await p.waitFor('the attention tiles rotating', (s) => s.state === 'LIVE' && s.layout === 'overview' &&
        s.overview.attention === 8 && s.pages === 5, 60000, 300);
      const seen = new Set();
      // rotate_s is 2 (config.json): 12 s is six turns, more than the five pages.
      const t0 = Date.now();
      while (Date.now() - t0 < 12000) {
        const v = await p.vigil();
        const hosts = v.tiles.map((t) => t.host);
        for (const h of ['w-0003', 'w-0005', 'w-0017']) assert.ok(hosts.includes(h), `${h} on page ${v.page}: ${hosts}`);
        hosts.forEach((h) => seen.add(h));
        await hold(400);
      }
      for (const h of ['w-0009', 'w-0040', 'w-0041', 'w-0042', 'w-0999']) assert.ok(seen.has(h), `${h} came round (${[...seen]})`);
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});

test('a click on an overview cell pins that host in the focus panel', async () => {
  const fake = await W.startWallHub(500);
  const p = await openWall(fake, 'wall-click');
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitFor('the overview', (s) => s.state === 'LIVE' && s.layout === 'overview' && s.overview.cells.length === 500, 60000, 300);
      assert.equal(v.overview.groupBy, '', 'no wall profile: one group');
      assert.equal(v.overview.groups.length, 1);
      assert.match(v.overview.groups[0].text, /^All hosts · 500 hosts/);
      // The overview puts hosts needing attention first: one more of them between reading the
      // cell and the click moves every OK cell by one (CI of 2026-12-04 pinned w-0249 so). A
      // click that lands after such a move is tried again; one that lands on an unmoved cell must
      // pin its host.
      const box = await p.page.locator('#canvas').boundingBox();
      let w = null;
      for (let tries = 0; tries < 3 && !w; ++tries) {
        const cell = (await p.vigil()).overview.cells.find((c) => c.host === 'w-0250');
        await p.page.mouse.click(box.x + cell.x + cell.w / 2, box.y + cell.y + cell.h / 2);
        w = await p.waitFor('w-0250 pinned', (x) => x.focusPinned && x.focusPin === 'w-0250', 4000, 250).catch(() => null);
        if (w) break;
        const s = await p.vigil();
        const now = s.overview.cells.find((c) => c.host === 'w-0250');
        assert.ok(now.x !== cell.x || now.y !== cell.y, `clicked w-0250's cell, which did not move, and ${s.focusPin} was pinned`);
      }
      assert.ok(w, 'w-0250 pinned within 3 clicks while the layout moved');
      assert.equal(w.focusHost, 'w-0250');
    });
  } finally {
    await p.context.close();
    fake.close();
  }
});
