// Shared pieces of the browser tests: Debian's Chromium through playwright-core, the real hub
// as a child process, deadline-based waits on window.vigil, and failure artifacts.
//
// Exports (existing ones keep their meaning; screen_*.test.js files use them):
//   env, launchBrowser(), until(what, fn, timeoutMs, intervalMs), Hub, openPage(browser, url, name, opts),
//   withArtifacts(pages, body)
// Added for the reliability suite:
//   summary(name, fields)   one "# name: k=v ..." line for CI logs (the trend of each scenario), also
//                           appended to $VIGIL_ARTIFACTS/summary.log (ctest hides passing output)
//   hold(ms)                a deliberate fixed wait ("keep the hub down 5 s"); never a synchronisation
//   tmpDir(prefix), freePort(), fetchJson(url), long (VIGIL_LONG=1: long variants for the bench script)
//   Hub#stop() (SIGTERM), Hub#kill() (SIGKILL), Hub#restart(), Hub#healthz(), Hub#connects(),
//   Hub#skipped() (seqs the hub skipped after crashes, from its own log), Hub#wsUrl
//   page handle: vigil(), timeOrigin(), origin (at open), assertNotReloaded(), waitFor(what, pred, ms),
//   waitLive(ms), startRecorder()/history() (state changes sampled in the page every 20 ms),
//   countFrames()/frames() (wasm main-loop iterations: calls of window.vigilPage.alive), close()
// Added for the page's never-stuck suite:
//   hubAndBrowser(test, {hubArgs, browserArgs})  test.before/after of one hub and one browser per
//                                                file; returns {hub, browser}, filled in before()
// Added for the pixel checks (host_down, wall_*):
//   meanColour(page handle, clip)                [r, g, b] of a clip of the screen, CSS pixels
'use strict';
const { chromium } = require('playwright-core');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');

const env = {
  hub: process.env.VIGIL_HUB,             // path of the vigil-hub binary
  site: process.env.VIGIL_SITE,           // the page's folder (build/wasm/site)
  artifacts: process.env.VIGIL_ARTIFACTS || path.join(os.tmpdir(), 'vigil-artifacts'),
  chromium: process.env.VIGIL_CHROMIUM || '/usr/bin/chromium',
  nginx: process.env.VIGIL_NGINX || '/usr/sbin/nginx',
};
for (const k of ['hub', 'site']) {
  if (!env[k]) throw new Error(`VIGIL_${k.toUpperCase()} is not set (ctest sets it; see tests/browser/CMakeLists.txt)`);
}
fs.mkdirSync(env.artifacts, { recursive: true });

// Long variants (500 restarts, 1-hour soak) only for the bench script.
const long = process.env.VIGIL_LONG === '1';

// Chromium flags verified on these machines (../shared/TOOLCHAIN.md): software WebGL2, no
// background traffic into the closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

async function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: env.chromium, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

// Polls fn() until it returns a truthy value or the deadline passes. Returns that value.
// Monotonic: the VM's wall clock was seen stepping ~18 s forward in a CI run (2026-12-02).
async function until(what, fn, timeoutMs = 15000, intervalMs = 50) {
  const deadline = performance.now() + timeoutMs;
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { last = e; }
    if (last && !(last instanceof Error)) return last;
    if (performance.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// A fixed wait that IS the scenario ("keep it down 5 s", "stay up 30 s"), never a synchronisation.
function hold(ms) { return new Promise((r) => setTimeout(r, ms)); }

function summary(name, fields) {
  const text = typeof fields === 'string' ? fields
    : Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : v}`).join(' ');
  console.log(`# ${name}: ${text}`);
  // ctest shows a passing test's output only with -V: the lines also go to one file per build.
  try {
    fs.appendFileSync(path.join(env.artifacts, 'summary.log'),
      `${new Date().toISOString()} ${path.basename(process.argv[1] || '?')} # ${name}: ${text}\n`);
  } catch { /* a summary is never worth a failure */ }
}

// A fresh folder under the system's temp folder, removed when the test file's process exits
// (journals, sites, certificates: CI machines run the suite again and again).
const tmpDirs = new Set();
function tmpDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.add(dir);
  return dir;
}


// A port nothing listens on right now (for "the hub is not running yet").
async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function fetchJson(url, timeoutMs = 3000) {
  const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

// Every child process this test file started, killed when node exits however it exits.
const children = new Set();
process.on('exit', () => {
  for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
  for (const d of tmpDirs) { try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* left for the OS */ } }
});

// The real hub. start() resolves once it prints the address it listens on. start() again after
// stop()/kill() restarts it on the same port with the same journal.
class Hub {
  constructor({ port = 0, journal, args = [], host = '127.0.0.1' } = {}) {
    this.port = port;
    this.host = host;
    this.journal = journal || tmpDir('vigil-journal-');
    this.args = args;
    this.proc = null;
    this.log = '';
    this.starts = 0;
  }

  async start() {
    const argv = ['--listen', `${this.host}:${this.port}`, '--root', env.site, '--journal', this.journal, ...this.args];
    const proc = spawn(env.hub, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    children.add(proc);
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => { children.delete(proc); resolve({ code, signal }); }));
    this.exited = exited;
    const onData = (d) => { this.log += d.toString(); };
    proc.stderr.on('data', onData);
    let timer;
    try {
      const port = await new Promise((resolve, reject) => {
        let out = '';
        proc.stdout.on('data', (d) => {
          onData(d);
          out += d.toString();
          const m = /listening [^\s:]+:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        exited.then(({ code, signal }) => reject(new Error(`hub exited (${code ?? signal}) before listening:\n${this.log}`)));
        timer = setTimeout(() => reject(new Error(`hub did not listen within 15 s:\n${this.log}`)), 15000);
      });
      this.port = port;
    } finally {
      clearTimeout(timer);  // a pending timer would keep node alive 15 s after the last test
    }
    ++this.starts;
    return this;
  }

  get running() { return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null; }
  get url() { return `http://127.0.0.1:${this.port}/`; }
  get wsUrl() { return `ws://127.0.0.1:${this.port}/ws`; }

  async kill(signal = 'SIGKILL') {
    if (!this.running) return;
    this.proc.kill(signal);
    await this.exited;
  }
  async stop() { return this.kill('SIGTERM'); }
  async restart(signal = 'SIGTERM') { await this.kill(signal); return this.start(); }

  // With --token the hub's stats need it too: the harness passes the hub's own token.
  get statsQuery() {
    const i = this.args.indexOf('--token');
    return i >= 0 ? `?token=${encodeURIComponent(this.args[i + 1])}` : '';
  }
  healthz() { return fetchJson(`${this.url}healthz${this.statsQuery}`); }
  connects() { return fetchJson(`${this.url}stats/connects${this.statsQuery}`); }

  // The seq ranges the hub skipped when it recovered from crashes: reserved before a kill -9,
  // never journaled, never sent ("(seqs A..B skipped)" in its start-up line). A hub killed again
  // before its next append reports the same range again: ranges are merged, `total` counts seqs.
  skipped() {
    const raw = [...this.log.matchAll(/\(seqs (\d+)\.\.(\d+) skipped\)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    raw.sort((a, b) => a[0] - b[0]);
    const ranges = [];
    for (const [from, to] of raw) {
      const last = ranges[ranges.length - 1];
      if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
      else ranges.push([from, to]);
    }
    return { total: ranges.reduce((n, [f, t]) => n + t - f + 1, 0), ranges };
  }

  // Skipped seqs in (afterSeq, uptoSeq].
  skippedIn(afterSeq, uptoSeq) {
    let n = 0;
    for (const [f, t] of this.skipped().ranges) n += Math.max(0, Math.min(t, uptoSeq) - Math.max(f, afterSeq + 1) + 1);
    return n;
  }
}

// One page with its console captured; artifacts() saves a screenshot and the log and says where.
// opts.context: open in this browser context (herds); otherwise a fresh context per page.
// opts.viewport, opts.beforeGoto(page, context): e.g. to install init scripts.
async function openPage(browser, url, name, opts = {}) {
  const ownContext = !opts.context;
  const context = opts.context || await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 720 } });
  const page = await context.newPage();
  const consoleLines = [];
  const t0 = Date.now();
  page.on('console', (m) => consoleLines.push(`${Date.now() - t0} [${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`${Date.now() - t0} [pageerror] ${e.message}`));
  if (opts.beforeGoto) await opts.beforeGoto(page, context);
  await page.goto(url);
  const origin = await page.evaluate(() => performance.timeOrigin);
  const handle = {
    page, context, consoleLines, name, origin,
    vigil: () => page.evaluate(() => window.vigil),
    timeOrigin: () => page.evaluate(() => performance.timeOrigin),
    async assertNotReloaded() {
      assert.equal(await handle.timeOrigin(), origin, `${name}: the page reloaded (performance.timeOrigin changed)`);
    },
    // Polls window.vigil until pred(v) is truthy; returns that snapshot.
    waitFor(what, pred, timeoutMs = 15000, intervalMs = 50) {
      return until(`${name}: ${what}`, async () => {
        const v = await handle.vigil();
        return v && pred(v) && v;
      }, timeoutMs, intervalMs);
    },
    waitLive(timeoutMs = 30000) {
      return handle.waitFor('LIVE with a sample', (v) => v.state === 'LIVE' && v.lastSample > 0, timeoutMs);
    },
    // Samples window.vigil in the page every 20 ms and keeps each change of the fields that
    // describe the connection, with performance.now() (t) and Date.now() (wall).
    startRecorder() {
      return page.evaluate(() => {
        if (window.__vigilRec) return;
        const rec = window.__vigilRec = { changes: [] };
        let last = '';
        rec.timer = setInterval(() => {
          const v = window.vigil;
          if (!v) return;
          const key = [v.state, v.link, v.attempt, v.attempts, v.opens, v.reason].join('|');
          if (key === last) return;
          last = key;
          rec.changes.push({ t: performance.now(), wall: Date.now(), state: v.state, link: v.link, attempt: v.attempt,
            attempts: v.attempts, opens: v.opens, reason: v.reason, nextTryInMs: v.nextTryInMs, seq: v.seq });
        }, 20);
      });
    },
    history() { return page.evaluate(() => (window.__vigilRec ? window.__vigilRec.changes : [])); },
    clearHistory() { return page.evaluate(() => { if (window.__vigilRec) window.__vigilRec.changes = []; }); },
    // The wasm main loop reports each iteration to window.vigilPage.alive (the watchdog's
    // heartbeat): count those calls. A page busy in a long task counts none.
    countFrames() {
      return page.evaluate(() => {
        if (window.__vigilFrames !== undefined) return;
        window.__vigilFrames = 0;
        const orig = window.vigilPage.alive;
        window.vigilPage.alive = function () { window.__vigilFrames++; return orig.apply(this, arguments); };
      });
    },
    frames() { return page.evaluate(() => window.__vigilFrames); },
    async artifacts(label) {
      const base = path.join(env.artifacts, `${name}-${label}`);
      await page.screenshot({ path: `${base}.png`, timeout: 5000 }).catch(() => {});
      fs.writeFileSync(`${base}.console.log`, consoleLines.join('\n') + '\n');
      return { screenshot: `${base}.png`, console: `${base}.console.log` };
    },
    async close() {
      if (ownContext) await context.close().catch(() => {});
      else await page.close().catch(() => {});
    },
  };
  return handle;
}

// Runs body(); on failure attaches artifacts of every page to the error message.
async function withArtifacts(pages, body) {
  try {
    return await body();
  } catch (e) {
    const saved = [];
    for (const p of pages) {
      const a = await p.artifacts('failure').catch(() => null);
      if (a) saved.push(`${a.screenshot}, ${a.console}`);
    }
    e.message += `\nartifacts: ${saved.join('; ') || 'none'}`;
    throw e;
  }
}

// The mean colour [r, g, b] of a clip of a page handle's screen (CSS pixels), decoded by the
// browser itself in a scratch page (a pixel check without an image library).
async function meanColour(p, clip) {
  const png = await p.page.screenshot({ clip });
  const scratch = await p.context.newPage();
  try {
    return await scratch.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = 1; c.height = 1;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0, 1, 1);
      return Array.from(g.getImageData(0, 0, 1, 1).data.slice(0, 3));
    }, png.toString('base64'));
  } finally {
    await scratch.close();
  }
}

function hubAndBrowser(test, { hubArgs = [], browserArgs = [] } = {}) {
  const s = { hub: null, browser: null };
  test.before(async () => {
    s.hub = await new Hub({ args: hubArgs }).start();
    s.browser = await launchBrowser(browserArgs);
  });
  test.after(async () => {
    await s.browser?.close();
    await s.hub?.kill();
  });
  return s;
}

// An init script (page.addInitScript, before the page's own scripts) that lets a test impose what
// a browser does to a page: window.__loop.parked holds requestAnimationFrame callbacks back (the
// wasm main loop with them) until release(); setHidden(on) sets document.visibilityState/hidden
// and fires visibilitychange; while hidden with alignMs > 0, every setTimeout fires late, aligned
// to alignMs wake-ups (as Chrome throttles a hidden tab's timers). Counts: delayed, parkedFrames.
const PAGE_CONTROL = `(() => {
  const realSetTimeout = window.setTimeout.bind(window);
  const realRaf = window.requestAnimationFrame.bind(window);
  const parked = [];
  const c = window.__loop = { parked: false, hidden: false, alignMs: 0, delayed: 0, parkedFrames: 0 };
  window.setTimeout = function (fn, delay, ...args) {
    if (!c.hidden || !c.alignMs) return realSetTimeout(fn, delay, ...args);
    const now = performance.now();
    const due = Math.ceil((now + (Number(delay) || 0)) / c.alignMs) * c.alignMs;
    ++c.delayed;
    return realSetTimeout(fn, due - now, ...args);
  };
  window.requestAnimationFrame = function (cb) {
    if (!c.parked) return realRaf(cb);
    ++c.parkedFrames;
    parked.push(cb);
    return -parked.length;
  };
  c.release = () => { c.parked = false; for (const cb of parked.splice(0)) realRaf(cb); };
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (c.hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => c.hidden });
  c.setHidden = (on) => { c.hidden = on; document.dispatchEvent(new Event('visibilitychange')); };
})();`;

// An openPage beforeGoto that serves this config.json instead of the site's, to every load of the page.
const withConfig = (config) => (page) => page.route('**/config.json', (route) =>
  route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) }));

module.exports = {
  env, long, launchBrowser, until, hold, summary, tmpDir, freePort, fetchJson, Hub, openPage, withArtifacts, PAGE_CONTROL,
  hubAndBrowser, meanColour, withConfig,
};
