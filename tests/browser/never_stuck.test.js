// Never stuck: a WebSocket constructor that throws (a fragment in the hub URL, a ws:// hub from an
// https page) is a failed attempt like any other: the browser's message is the banner's reason, with
// what to change, and the link keeps a retry timer (attempts keep rising). A token put into the URL
// is encoded, so a '#' in it does not cut the URL. A throw out of main() before the frame loop
// starts gets the watchdog's banner, and the page recovers by its reload rule.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { env, launchBrowser, until, summary, tmpDir, Hub, openPage, withArtifacts } = require('./lib/harness');
const { SiteServer, selfSignedCert } = require('./tools/site_server');

let hub, tokenHub, browser;
test.before(async () => {
  hub = await new Hub().start();
  tokenHub = await new Hub({ args: ['--token', 'a#b'] }).start();
  // A name that is not loopback: Chromium lets an https page reach ws://127.0.0.1 (a trustworthy
  // origin), but not ws:// anywhere else.
  browser = await launchBrowser(['--ignore-certificate-errors', '--host-resolver-rules=MAP vigil-hub.test 127.0.0.1']);
});
test.after(async () => {
  await browser?.close();
  await hub?.kill();
  await tokenHub?.kill();
});

// A page that never opened a socket is CONNECTING (attempt n, retry in N s: model/banner_state.h),
// here with the reason matching, a retry pending and attempts still rising.
async function assertRetrying(p, reasonPattern) {
  const first = await p.waitFor('CONNECTING with the reason', (v) => v.state === 'CONNECTING' && reasonPattern.test(v.reason), 20000);
  const later = await p.waitFor('attempts still rising', (v) => v.attempts >= first.attempts + 2, 20000);
  assert.match(later.reason, reasonPattern);
  assert.ok(later.pendingTimers >= 1, `a retry timer is pending (${later.pendingTimers})`);
  assert.equal(later.opens, 0);
  assert.equal(later.socketTable, 0, 'no socket was made');
  return later;
}

test('?ws= with a fragment (%23): CONNECTING, the browser says why and what to remove, retries go on', async () => {
  const p = await openPage(browser, `${hub.url}?ws=ws://127.0.0.1:${hub.port}/ws%23frag`, 'never-stuck-fragment');
  try {
    await withArtifacts([p], async () => {
      const v = await assertRetrying(p, /fragment/i);
      assert.match(v.reason, /^remove "#frag"/, 'what to change comes first (the banner cuts the end)');
      summary('never-stuck-fragment', { attempts: v.attempts, reason: JSON.stringify(v.reason.slice(0, 120)) });
    });
  } finally {
    await p.close();
  }
});

test('?token=a%23b: the token is encoded into the hub URL, the hub accepts it, LIVE', async () => {
  const p = await openPage(browser, `${tokenHub.url}?ws=ws://127.0.0.1:${tokenHub.port}/ws&token=a%23b`, 'never-stuck-token');
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitLive(30000);
      assert.equal(v.attempts, 1, 'connected at the first attempt');
      assert.equal(v.url, `ws://127.0.0.1:${tokenHub.port}/ws?token=***`);
    });
  } finally {
    await p.close();
  }
});

test('an https page with a ws:// hub: CONNECTING naming mixed content and wss://, retries go on', async () => {
  const site = await new SiteServer({ root: env.site, tls: selfSignedCert(tmpDir('vigil-tls-')) }).start();
  const p = await openPage(browser, `${site.url}?ws=ws://vigil-hub.test:${hub.port}/ws`, 'never-stuck-mixed');
  try {
    await withArtifacts([p], async () => {
      const v = await assertRetrying(p, /SecurityError/);
      assert.match(v.reason, /^use wss:\/\/ \(this page is https/, 'what to change comes first (the banner cuts the end)');
      summary('never-stuck-mixed', { attempts: v.attempts, reason: JSON.stringify(v.reason.slice(0, 160)) });
    });
  } finally {
    await p.close();
    await site.stop();
  }
});

// Makes the first page load's main() throw: the browser signals it installs (addEventListener on
// 'online') fail once per tab, as a browser API refusing would.
const THROW_AT_BOOT = `(() => {
  if (sessionStorage.getItem('vigil-threw')) return;
  const real = window.addEventListener;
  window.addEventListener = function (type) {
    if (type === 'online') { sessionStorage.setItem('vigil-threw', '1'); window.addEventListener = real; throw new Error('injected boot failure'); }
    return real.apply(this, arguments);
  };
})();`;

test('a throw out of main() before the loop starts: the banner says so, the page reloads and is LIVE', async () => {
  const p = await openPage(browser, `${hub.url}?abort_reload_s=1`, 'never-stuck-boot-throw',
    { beforeGoto: (page) => page.addInitScript(THROW_AT_BOOT) });
  try {
    await withArtifacts([p], async () => {
      const banner = await until('the start-up failure banner', () => p.page.evaluate(() => {
        const t = document.getElementById('overlay-text').textContent;
        return /failed to start/.test(t) && t;
      }).catch(() => null), 15000, 20);
      assert.match(banner, /injected boot failure/);
      assert.match(banner, /Reloading in \d+ s|does not answer/);
      await until('a reload', async () => {
        const o = await p.page.evaluate(() => performance.timeOrigin).catch(() => null);
        return o && o !== p.origin;
      }, 15000, 50);
      const v = await p.waitLive(30000);
      assert.equal(v.opens, 1, 'a fresh page');
      summary('never-stuck-boot-throw', { banner: JSON.stringify(banner.slice(0, 100)) });
    });
  } finally {
    await p.close();
  }
});
