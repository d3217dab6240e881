// Benchmark 9, journal: appends per second with the hub's journal options and default fsync policy
// (fsync at most 1 s after an append), for 1-host and 100-host frames; recovery (Journal::open:
// scan, CRC, index) of a 100 MB journal, 3 times (warm page cache: the file was just written).
// Runs tests/bench's vigil-journal-bench (links vigil_hub_lib); its folder is under build/bench/tmp.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const L = require('./lib.js');

const tools = process.env.VIGIL_BENCH_TOOLS || path.join(L.root, 'build/bench');
const result = { appends: [], recover: null };
L.deadline('journal', 4 * 60 * 1000, () => result);
const tmp = path.join(L.root, 'build/bench/tmp');
fs.mkdirSync(tmp, { recursive: true });
const dir = fs.mkdtempSync(path.join(tmp, 'journal-'));
const run = (args) => JSON.parse(execFileSync(path.join(tools, 'vigil-journal-bench'), args, { timeout: 180000 }).toString());
try {
  for (const hosts of [1, 100]) {
    const r = run(['appends', '--dir', path.join(dir, `a${hosts}`), '--seconds', L.quick ? '1' : '3', '--hosts', String(hosts)]);
    result.appends.push(r);
    console.log(`# journal appends ${hosts} host(s), ${r.frame_bytes} B frames: ${r.appends_per_s}/s (${r.mb_per_s} MB/s), append p50 ${r.append_us_p50} us p99 ${r.append_us_p99} us max ${r.append_us_max} us`);
    fs.rmSync(path.join(dir, `a${hosts}`), { recursive: true, force: true });
  }
  const r = run(['recover', '--dir', path.join(dir, 'r'), '--mb', '100', '--reps', '3']);
  result.recover = r;
  console.log(`# journal recovery of ${(r.bytes / 1e6).toFixed(0)} MB (${r.records} records): ${r.open_ms.map((x) => x.toFixed(0)).join(', ')} ms (median ${r.open_ms_median.toFixed(0)} ms); read_range ${r.read_range_ms} ms; built in ${r.build_ms} ms`);
} catch (e) {
  result.error = String(e.message || e);
  console.error(e);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
L.writeResult('journal', result);
