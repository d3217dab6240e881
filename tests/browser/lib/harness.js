// Shared pieces of the browser tests: Debian's Chromium through playwright-core, the real hub
// as a child process, deadline-based waits on window.vigil, and failure artifacts.
'use strict';
const { chromium } = require('playwright-core');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const env = {
  hub: process.env.VIGIL_HUB,             // path of the vigil-hub binary
  site: process.env.VIGIL_SITE,           // the page's folder (build/wasm/site)
  artifacts: process.env.VIGIL_ARTIFACTS || path.join(os.tmpdir(), 'vigil-artifacts'),
  chromium: process.env.VIGIL_CHROMIUM || '/usr/bin/chromium',
};
for (const k of ['hub', 'site']) {
  if (!env[k]) throw new Error(`VIGIL_${k.toUpperCase()} is not set (ctest sets it; see tests/browser/CMakeLists.txt)`);
}
fs.mkdirSync(env.artifacts, { recursive: true });

// Chromium flags verified on these machines (../shared/TOOLCHAIN.md): software WebGL2, no
// background traffic into the closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

async function launchBrowser() {
  return chromium.launch({ executablePath: env.chromium, headless: true, args: CHROMIUM_ARGS });
}

// Polls fn() until it returns a truthy value or the deadline passes. Returns that value.
async function until(what, fn, timeoutMs = 15000, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { last = e; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// The real hub. start() resolves once it prints the address it listens on.
class Hub {
  constructor({ port = 0, journal, args = [] } = {}) {
    this.port = port;
    this.journal = journal || fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-journal-'));
    this.args = args;
    this.proc = null;
    this.log = '';
  }

  async start() {
    const argv = ['--listen', `127.0.0.1:${this.port}`, '--root', env.site, '--journal', this.journal, ...this.args];
    const proc = spawn(env.hub, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    const onData = (d) => { this.log += d.toString(); };
    proc.stderr.on('data', onData);
    const port = await new Promise((resolve, reject) => {
      let out = '';
      proc.stdout.on('data', (d) => {
        onData(d);
        out += d.toString();
        const m = /listening [^\s:]+:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      exited.then(({ code, signal }) => reject(new Error(`hub exited (${code ?? signal}) before listening:\n${this.log}`)));
      setTimeout(() => reject(new Error(`hub did not listen within 15 s:\n${this.log}`)), 15000);
    });
    this.port = port;
    return this;
  }

  get url() { return `http://127.0.0.1:${this.port}/`; }

  async kill(signal = 'SIGKILL') {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill(signal);
    await this.exited;
  }
}

// One page with its console captured; fail() saves a screenshot and the log and says where.
async function openPage(browser, url, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  return {
    page, context, consoleLines,
    vigil: () => page.evaluate(() => window.vigil),
    timeOrigin: () => page.evaluate(() => performance.timeOrigin),
    async artifacts(label) {
      const base = path.join(env.artifacts, `${name}-${label}`);
      await page.screenshot({ path: `${base}.png` }).catch(() => {});
      fs.writeFileSync(`${base}.console.log`, consoleLines.join('\n') + '\n');
      return { screenshot: `${base}.png`, console: `${base}.console.log` };
    },
  };
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

module.exports = { env, launchBrowser, until, Hub, openPage, withArtifacts };
