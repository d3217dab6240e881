// A labelled fleet of N hosts for the wall tests (wall_*.test.js): ids w-0000.., labels site A-D
// (i % 4) and rack r1-r8, cpu thresholds warn 80 / crit 95. Hosts 5 and 17 are crit (cpu 99),
// 9 warn (cpu 85), 3 DOWN (samples.down), the last one never reports. Fed by a ScriptedHub; a site
// copy with a config.json of wall profiles serves the page.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ScriptedHub } = require('./scripted_hub');
const { meanColour } = require('../lib/harness');

const CRIT = [5, 17];
const WARN = [9];
const DOWN = [3];

function hostId(i) { return `w-${String(i).padStart(4, '0')}`; }

function wallHosts(n) {
  return Array.from({ length: n }, (_, i) => ({
    id: hostId(i),
    labels: { site: 'ABCD'[i % 4], rack: `r${1 + (i % 8)}` },
    thresholds: { cpu: { warn: 80, crit: 95 } },
    values: { cpu: CRIT.includes(i) ? 99 : (WARN.includes(i) ? 85 : 20), mem: 40 },
    ...(i === n - 1 && n > 1 ? { silent: true } : {}),
  }));
}

// The expected state word of host i in a fleet of n (window.vigil tiles[].state / cells[].state).
function expectedState(i, n) {
  if (DOWN.includes(i)) return 'down';
  if (i === n - 1) return 'never';
  if (CRIT.includes(i)) return 'crit';
  if (WARN.includes(i)) return 'warn';
  return 'ok';
}

async function startWallHub(n, intervalMs = 1000) {
  const fake = await new ScriptedHub({ intervalMs, hosts: wallHosts(n), metrics: ['cpu', 'mem'] }).start();
  for (const i of DOWN) if (i < n) fake.down[hostId(i)] = { reason: 'connection refused', since: Date.now() - 5000 };
  return fake;
}

// A copy of the page's site whose config.json has the walls of these tests and rotate_s 2.
function wallSite(env, tmpDir, extra = {}) {
  const site = tmpDir('vigil-site-wall-');
  fs.cpSync(env.site, site, { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(env.site, 'config.json'), 'utf8'));
  fs.writeFileSync(path.join(site, 'config.json'), JSON.stringify({
    ...config,
    rotate_s: 2,
    walls: {
      sites: { title: 'All sites', group_by: 'site' },
      'site-a': { title: 'Site A', group_by: 'rack', filter: { site: 'A' }, metrics: ['cpu', 'mem'], layout: 'overview' },
      paged: { layout: 'tiles' },
    },
    ...extra,
  }));
  return site;
}

// Inside a cell, left of its mark (mosaic.cpp: every mark keeps off the left fifth at mid-height).
function cellClip(cell) {
  return { x: cell.x + cell.w * 0.08, y: cell.y + cell.h * 0.45, width: Math.max(1, cell.w * 0.08), height: Math.max(1, cell.h * 0.1) };
}

// The centre of a cell: on its mark's ink (the bang's stem, the cross's crossing, inside the
// triangle) for crit, DOWN and warn; the cell's own colour for ok (mosaic.cpp draw_cell).
function markClip(cell) {
  return { x: cell.x + cell.w * 0.5 - 1, y: cell.y + cell.h * 0.5 - 1, width: 2, height: 2 };
}

const BACKGROUND = [11, 18, 32];  // ui/theme.h kBackground: the marks' ink
const COLOURS = { crit: [255, 72, 72], down: [200, 90, 255], warn: [255, 176, 32], ok: [0, 60, 50] };  // ui/theme.h
function near(rgb, want, tol = 16) { return rgb.every((c, k) => Math.abs(c - want[k]) <= tol); }

module.exports = { wallHosts, hostId, expectedState, startWallHub, wallSite, meanColour, cellClip, markClip, BACKGROUND, COLOURS, near, CRIT, WARN, DOWN };
