// Reads every benchmark's result (VIGIL_BENCH_OUT/*.json), prints ONE table with the machine and
// the date, and writes the same figures to <out>/../results.json (build/bench/results.json).
// usage: node report.js [runtimeSeconds]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const L = require('./lib.js');

const runtimeS = Number(process.argv[2]) || null;
const load = (n) => { try { return JSON.parse(fs.readFileSync(path.join(L.outDir, `${n}.json`), 'utf8')); } catch { return null; } };
const r = Object.fromEntries(['recovery', 'detection', 'herd', 'ingest', 'frame', 'size', 'memory', 'fanout', 'journal', 'sockets', 'scrape', 'push', 'scale', 'alarms', 'failover'].map((n) => [n, load(n)]));
const f = (x, d = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const ratio = (a, b, what = 'base/Vigil') => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${what} ${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}x` : '—');
const rows = [];  // [benchmark, case, vigil, baseline, ratio]
const add = (b, c, v, base = '', rt = '') => rows.push([b, c, v, base, rt]);
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;

if (r.recovery) {
  const s = r.recovery.summary || {};
  for (const [k, x] of Object.entries(s)) {
    add('1 recovery', `${k} (n=${x.n}) to LIVE med/p90/max ms (base: isConnect)`, `${f(x.vigilLive.median)}/${f(x.vigilLive.p90)}/${f(x.vigilLive.max)}`,
      `${f(x.baseLive.median)}/${f(x.baseLive.p90)}/${f(x.baseLive.max)}`, ratio(x.baseLive.median, x.vigilLive.median));
    add('1 recovery', `${k} first new sample med/max ms; missing`, `${f(x.vigilData.median)}/${f(x.vigilData.max)}; ${x.vigilMissing}`,
      `${f(x.baseData.median)}/${f(x.baseData.max)}; ${x.baseMissing}`, ratio(x.baseData.median, x.vigilData.median));
  }
  if (r.recovery.error || r.recovery.incomplete) add('1 recovery', 'INCOMPLETE', r.recovery.error ? 'error (see JSON)' : r.recovery.incomplete);
}
if (r.detection) {
  const s = r.detection.summary;
  const cap = r.detection.capMs / 1000;
  add('2 detection', `leave LIVE med/max ms (n=${s.vigilNotLive.n}; ${s.vigilNotLiveStates.join('/')})`, `${f(s.vigilNotLive.median)}/${f(s.vigilNotLive.max)}`,
    s.baseNoticed ? `${f(s.baseDown.median)}` : `>${cap} s (${s.baseWatched} watched)`, s.baseNoticed ? ratio(s.baseDown.median, s.vigilNotLive.median) : `base/Vigil >${(cap * 1000 / s.vigilNotLive.median).toFixed(0)}x`);
  add('2 detection', 'link given up (RECONNECTING) med/max ms', `${f(s.vigilDown.median)}/${f(s.vigilDown.max)}`, s.baseNoticed ? '' : 'never', '');
}
if (r.herd) {
  const byKey = {};
  for (const h of r.herd.results) for (const x of h.rounds) byKey[`${h.asked}|${x.mode}|${h.kind}`] = { ...x, up: h.pagesUp, asked: h.asked };
  for (const key of Object.keys(byKey).filter((k) => k.endsWith('|vigil'))) {
    const v = byKey[key], b = byKey[key.replace('|vigil', '|baseline')] || {};
    const [n, mode] = key.split('|');
    add('3 herd', `${n} pages${v.up < v.asked ? ` (only ${v.up} up)` : ''} ${mode}: peak/100ms, spread ms (10-90%)`,
      `${v.peakPer100ms}, ${v.spreadMs} (${v.span10to90Ms})`, b.n ? `${b.peakPer100ms}, ${b.spreadMs} (${b.span10to90Ms})` : '—', ratio(b.peakPer100ms, v.peakPer100ms));
    add('3 herd', `${n} pages ${mode}: last reconnect after listen ms`, `${v.lastAfterListenMs}`, b.n ? `${b.lastAfterListenMs}` : '—', '');
  }
}
if (r.ingest) {
  for (const x of r.ingest.rows) {
    add('4 ingest', `${x.hosts} host(s)/frame live, rendering: host-samples/s (frames/s)`, `${f(x.liveHostSamplesPerS)} (${f(x.liveFramesPerS)})`,
      `JSON.parse ${f(x.jsonHostSamplesPerS)}`, ratio(x.liveHostSamplesPerS, x.jsonHostSamplesPerS, 'Vigil/JSON'));
    add('4 ingest', `${x.hosts} host(s)/frame wasm off-screen (vigilDebug.ingest)`, `${f(x.wasmHostSamplesPerS)} (${f(x.wasmFramesPerS)})`,
      `JSON.parse ${f(x.jsonHostSamplesPerS)}`, ratio(x.wasmHostSamplesPerS, x.jsonHostSamplesPerS, 'Vigil/JSON'));
  }
}
if (r.frame) {
  for (const x of r.frame.rows) {
    add('5 frame', `${x.hosts} hosts full history: draw ms p50/p99; draws/s`, x.error ? `ERROR ${x.error.slice(0, 40)}` : `${f(x.frameMsP50, 2)}/${f(x.frameMsP99, 2)}; ${f(x.drawsPerS, 1)}`);
    add('5 frame', `${x.hosts} hosts: main-thread % of a core steady(1 Hz)/idle; script %`, `${f(x.steadyCpuPct)}/${f(x.idleCpuPct)}; ${f(x.steadyScriptPct, 1)}`);
    add('5 frame', `${x.hosts} hosts: 600 s backfill -> LIVE ms`, `${f(x.backfillToLiveMs)}`);
  }
}
if (r.size) {
  for (const [name, s] of Object.entries(r.size.files)) add('6 size', `${name} raw / gzip-6`, `${kb(s.raw)} / ${kb(s.gzip6)}`);
  add('6 size', `navigation -> first LIVE ms med/max (n=${r.size.toLive.n})`, `${f(r.size.toLive.median)}/${f(r.size.toLive.max)}`);
}
if (r.memory) {
  for (const p of r.memory.points) add('7 memory', `after ${p.label} msgs: wasm heap (in use) / JS heap`, `${(p.heapBytes / 2 ** 20).toFixed(1)} MiB (${p.heapUsedBytes === null || p.heapUsedBytes === undefined ? '?' : (p.heapUsedBytes / 2 ** 20).toFixed(2)}) / ${(p.jsHeapBytes / 2 ** 20).toFixed(2)} MiB`);
  if (r.memory.slope) add('7 memory', `slope ${r.memory.slope.fromFrames}..${r.memory.slope.toFrames} (B per 1k msgs) wasm heap / in use / JS`, `${f(r.memory.slope.wasmBytesPer1k)} / ${f(r.memory.slope.wasmUsedBytesPer1k)} / ${f(r.memory.slope.jsBytesPer1k)}`);
}
if (r.fanout) {
  const hubRows = r.fanout.rows.filter((x) => x.server === 'vigil-hub' && x.clients);
  for (const v of hubRows) {
    const b = r.fanout.rows.find((x) => x.server === 'node-ws' && x.clients === v.clients) || {};
    const cell = (x) => (x.clients ? `CPU ${f(x.cpuPct, 1)}%, RSS ${f(x.rssMiB, 0)} MiB, p50/p99 ${f(x.latencyMs.p50, 1)}/${f(x.latencyMs.p99, 1)} ms, drop ${x.dropped + x.connectFailed}` : '—');
    add('8 fan-out', `${v.clients} clients, 100 hosts @1 Hz`, cell(v), cell(b), ratio(b.latencyMs && b.latencyMs.p99, v.latencyMs.p99));
  }
}
if (r.journal) {
  for (const a of r.journal.appends) add('9 journal', `appends/s, ${a.hosts}-host frames (${a.frame_bytes} B), default fsync`, `${a.appends_per_s} (${a.mb_per_s} MB/s, p99 ${a.append_us_p99} us)`);
  if (r.journal.recover) add('9 journal', `recovery of ${(r.journal.recover.bytes / 1e6).toFixed(0)} MB, median of 3 (warm cache)`, `${f(r.journal.recover.open_ms_median)} ms`);
}
if (r.sockets && r.sockets.reconnects) {
  const x = r.sockets;
  add('10 sockets', `${x.reconnects} reconnects (hub accepts and closes): socket table peak / end; JS heap after GC before -> after`,
    `${x.socketTablePeak} / ${x.socketTableEnd}; ${(x.heapBeforeBytes / 2 ** 20).toFixed(2)} -> ${(x.heapAfterBytes / 2 ** 20).toFixed(2)} MiB`);
}

if (r.scrape) {
  const x = r.scrape;
  if (x.body) add('11 scrape', `target body: this machine's node_exporter, ${x.body.bytes} B (${x.body.gzipBytes} B gzip), ${x.body.series} series; nginx, 1 s`, '');
  const parser = x.body && x.body.parser;
  if (parser && parser.parse) add('11 scrape', 'the parser alone on that body (vigil-exposition-bench, one core): MB/s; ns per line; MB/s with the node profile',
    `${f(parser.parse.mbPerS)} MB/s; ${f(parser.parse.nsPerLine, 1)} ns; ${parser.parseAndProfile ? f(parser.parseAndProfile.mbPerS) : '—'} MB/s`, '');
  for (const v of x.rows.filter((row) => row.server === 'vigil-hub')) {
    const b = x.rows.find((row) => row.server === 'prometheus' && row.targets === v.targets) || {};
    if (v.error) { add('11 scrape', `${v.targets} targets`, `ERROR ${v.error.slice(0, 60)}`); continue; }
    if (v.validate === 'all') {  // the same hub parsing every line in full: what the default saves
      add('11 scrape', `${v.targets} targets, --scrape-validate all: CPU % of a core; CPU us per scraped sample`,
        `${f(v.cpuPct, 1)} %; ${f(v.cpuUsPerSample, 3)}`, b.cpuUsPerSample ? `${f(b.cpuUsPerSample, 3)}` : '—', ratio(b.cpuUsPerSample, v.cpuUsPerSample));
      continue;
    }
    add('11 scrape', `${v.targets} targets @1 Hz: CPU % of a core; scrapes/s; RSS`, `${f(v.cpuPct, 1)} %; ${f(v.scrapesPerS)}/${v.targets}; ${f(v.rssMiB)} MiB`,
      b.cpuPct === undefined ? (b.error ? `ERROR ${b.error.slice(0, 40)}` : '—') : `${f(b.cpuPct, 1)} %; ${b.up}/${b.targets} up; ${f(b.rssMiB)} MiB`, ratio(b.cpuPct, v.cpuPct));
    add('11 scrape', `${v.targets} targets: scrape latency p50/p99 ms`, `${f(v.latencyMs.p50, 2)}/${f(v.latencyMs.p99, 2)}`,
      b.latencyMs ? `${f(b.latencyMs.p50, 2)}/${f(b.latencyMs.p99, 2)}` : '—');
    add('11 scrape', `${v.targets} targets: CPU us per scraped sample; body MB/s per core; frame bytes`,
      `${f(v.cpuUsPerSample, 3)}; ${f(v.bodyMBPerCore)} MB/s; ${v.frameBytes} B`, b.cpuUsPerSample ? `${f(b.cpuUsPerSample, 3)}` : '—',
      ratio(b.cpuUsPerSample, v.cpuUsPerSample));
    if (v.frameGapMs && v.frameGapMs.frames) add('11 scrape', `${v.targets} targets: frames on time, the gap between two live frames on a client, p50/p99/max ms (1,000 = on time)`,
      `${f(v.frameGapMs.p50, 0)}/${f(v.frameGapMs.p99, 0)}/${f(v.frameGapMs.max, 0)} (${v.frameGapMs.frames} frames)`, '');
  }
}

if (r.push && r.push.linesPerS) {
  const x = r.push;
  add('12 push', `POST /ingest, ${x.linesPerBody}-line Telegraf-like bodies (${x.hosts} hosts), 2 connections: lines/s; per hub CPU-second`,
    `${x.linesPerS} lines/s (hub CPU ${x.hubCpuPct}%); ${x.linesPerCpuS} lines/CPU-s`);
}

if (r.scale) {
  for (const x of r.scale.rows) {
    if (x.error) { add('13 scale', `${x.hosts} hosts`, `ERROR ${x.error.slice(0, 60)}`); continue; }
    if (x.threadMsP50 !== undefined)
      add('13 scale', `${x.hosts} hosts overview @1 Hz: main-thread CPU ms per drawn frame (trace tdur) p50/p99/max; frames`,
        `${f(x.threadMsP50, 2)}/${f(x.threadMsP99, 2)}/${f(x.threadMsMax, 2)}; ${x.threadFrames}`);
    add('13 scale', `${x.hosts} hosts overview @1 Hz: wall ms per drawn frame (frameMs) p50/p99; draws/s (idle)`,
      `${f(x.frameMsP50, 2)}/${f(x.frameMsP99, 2)}; ${f(x.drawsPerS, 2)} (${f(x.idleDrawsPerS, 2)})`);
    if (x.screenMsP50 !== undefined)
      add('13 scale', `${x.hosts} hosts: of which building the screen, ms p50/p99; drawn frames in the window`,
        `${f(x.screenMsP50, 2)}/${f(x.screenMsP99, 2)}; ${x.drawnInWindow}`);
    add('13 scale', `${x.hosts} hosts: draw calls; vertices per frame; cell px`, `${x.drawCalls}; ${x.drawVertices}; ${x.cellPx}${x.belowMinimum ? ' (below 24)' : ''}`);
    add('13 scale', `${x.hosts} hosts/frame: decode+apply frames/s (wasm, off-screen)`, `${f(x.ingestFramesPerS, 1)}`);
    add('13 scale', `${x.hosts} hosts: wasm heap (in use) after ${x.pointsPerSeries} points/series`,
      `${f(x.heapBytes / 2 ** 20, 1)} MiB (${f(x.heapUsedBytes / 2 ** 20, 1)})`);
  }
}

if (r.alarms) {
  for (const x of r.alarms.rows)
    add('13 scale', `${x.hosts} hosts x ${x.metrics} metrics, ${x.active} alarms active: alarm board per frame (model, native), ms mean/worst`,
      `${f(x.msPerFrame, 2)}/${f(x.worstMs, 2)}`);
  if (r.alarms.error) add('13 scale', 'alarms INCOMPLETE', 'error (see JSON)');
}

if (r.failover) {
  const x = r.failover;
  const d = (s) => (s && s.n ? `${f(s.median)}/${f(s.p99)}/${f(s.max)} (n=${s.n})` : '—');
  const scr = `${x.screens} screens = Node ws clients through nginx resuming like the page (its backoff), 3 hubs, 3 NATS nodes, 1 s interval`;
  if (x.failoverStats) {
    add('14 failover', `kill -9 of the serving hub (a standby) -> fresh frame after live, p50/p99/max ms; ${scr}`, d(x.failoverStats.standby));
    add('14 failover', 'kill -9 of the serving hub that is also the writer (+ takeover) -> fresh frame, p50/p99/max ms', d(x.failoverStats.writer));
  }
  if (x.rolling) {
    add('14 failover', `rolling upgrade (${x.rolling.sigterms} SIGTERMs of the busiest hub): longest close -> welcome on another hub per screen, p50/p99/max ms`, d(x.rolling.longestAwayMs));
    add('14 failover', 'rolling upgrade: longest close -> live + first frame (non-LIVE) per screen, p50/p99/max ms', d(x.rolling.longestNonLiveMs));
    if (x.rolling.longestNonLiveMovedMs) add('14 failover', `rolling upgrade, the ${x.rolling.screensMoved} screens moved only (old clients): close -> welcome; close -> live + first frame, p50/p99/max ms`, `${d(x.rolling.longestAwayMovedMs)}; ${d(x.rolling.longestNonLiveMovedMs)}`);
  }
  // Both client kinds on one measure: the longest time between fresh frames shown as LIVE.
  const gaps = (y) => `${d(y.longestGapMs)}; handovers ${y.handovers}, failed ${y.handoverFailures}; zero sockets on ${y.screensDark} screens; missing ${y.missing}`;
  if (x.rolling?.longestGapMs) add('14 failover', `rolling upgrade (${x.rolling.sigterms} SIGTERMs, ${x.rolling.writerTerms} of the writer), old clients (no handover: wait for the 1012): longest gap between fresh LIVE frames per moved screen, p50/p99/max ms (interval 1 s)`, gaps(x.rolling));
  if (x.rollingHandover) add('14 failover', `rolling upgrade (${x.rollingHandover.sigterms} SIGTERMs, ${x.rollingHandover.writerTerms} of the writer), handover clients (this page: make before break): longest gap between fresh frames per moved screen, p50/p99/max ms`, gaps(x.rollingHandover));
  if (x.rollingHandover?.shutdownToSwapMs) add('14 failover', 'rolling upgrade, handover clients: the hub\'s shutdown -> the second socket open and swapped (spread + handshake), p50/p99/max ms', d(x.rollingHandover.shutdownToSwapMs));
  if (x.takeover) add('14 failover', 'collector takeover: kill -9 of the writer -> its successor\'s first frame on a client, p50/p99/max ms', d(x.takeover.ms));
  if (x.screensAtEnd) add('14 failover', 'screens after all of it: seqs missing; frames received twice', `${x.screensAtEnd.missing}; ${x.screensAtEnd.dupes}`);
  for (const v of (x.fanout || []).filter((row) => row.journal === 'jetstream')) {
    const b = x.fanout.find((row) => row.journal === 'local' && row.clients === v.clients) || {};
    const cell = (y) => (y.clients ? `CPU ${f(y.cpuPct, 1)}%, RSS ${f(y.rssMiB, 0)} MiB, p50/p99 ${f(y.latencyMs.p50, 1)}/${f(y.latencyMs.p99, 1)} ms, drop ${y.dropped}` : '—');
    add('14 failover', `fan-out per hub, ${v.clients} vigil-load clients, 100 hosts @1 Hz: from JetStream (a standby) vs local journal`, cell(v), cell(b), ratio(b.cpuPct, v.cpuPct, 'local/JetStream CPU'));
  }
  if (x.error || x.incomplete) add('14 failover', 'INCOMPLETE', x.error ? 'error (see JSON)' : x.incomplete);
}

const m = L.machine();
const head = `Vigil benchmarks — ${new Date().toISOString()} — ${m.nproc} CPU (${m.cpu}), ${m.ramGiB} GiB RAM, ${m.chromium}, node ${m.node}` +
  (runtimeS ? ` — bench.sh ran ${(runtimeS / 60).toFixed(1)} min` : '');
const cols = ['benchmark', 'case', 'Vigil', 'baseline', 'ratio'];
const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => String(row[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(head);
console.log(line(cols));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
const missing = Object.entries(r).filter(([, v]) => !v).map(([k]) => k);
if (missing.length) console.log(`(no result for: ${missing.join(', ')})`);
const file = path.join(path.dirname(L.outDir), 'results.json');
fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: m, runtimeS, table: { columns: cols, rows }, results: r }, null, 1));
console.log(`JSON: ${file}`);
