// Benchmark 15, alarms: the alarm board's evaluate for every (host, metric) of a frame, as the page
// does on each frame, with many alarms active (model only, native Release: the wasm build runs the
// same code). Runs tests/bench's vigil-alarms-bench for 1,000 and 5,000 hosts x 10 metrics.
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const L = require('./lib.js');

const tools = process.env.VIGIL_BENCH_TOOLS || path.join(L.root, 'build/bench');
const result = { rows: [] };
L.deadline('alarms', 4 * 60 * 1000, () => result);
try {
  for (const [hosts, active] of [[1000, 200], [5000, 1000]]) {
    const args = [String(hosts), '10', String(active), L.quick ? '5' : '20'];
    const out = execFileSync(path.join(tools, 'vigil-alarms-bench'), args, { timeout: 120000 }).toString();
    const m = /(\d+) alarms active: ([\d.]+) ms per frame \(mean of (\d+)\), worst ([\d.]+) ms/.exec(out);
    if (!m) throw new Error(`vigil-alarms-bench printed no figures: ${out.slice(0, 200)}`);
    const row = { hosts, metrics: 10, active: Number(m[1]), msPerFrame: Number(m[2]), frames: Number(m[3]), worstMs: Number(m[4]) };
    result.rows.push(row);
    console.log(`# ${out.trim()}`);
  }
} catch (e) {
  result.error = String(e.message || e);
  console.error(e);
}
L.writeResult('alarms', result);
