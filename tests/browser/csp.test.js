// The page runs under its strict Content-Security-Policy (a <meta> in web/index.html, for static
// hosts): a normal boot to LIVE raises no `securitypolicyviolation`, and nothing the page loads is
// a 404 (its favicon included).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { summary, openPage, withArtifacts, hubAndBrowser } = require('./lib/harness');

// The policy, exactly (the reference hub sends the same string as a header).
const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'";

const ctx = hubAndBrowser(test);

const WATCH_VIOLATIONS = `(() => {
  const v = window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    if (v.length < 32) v.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
})();`;

test('a normal boot under the policy: LIVE, no violation, no 404, a favicon', async () => {
  const failed = [];
  const p = await openPage(ctx.browser, `${ctx.hub.url}?lang=zh-CN`, 'csp', {
    beforeGoto: (page) => {
      page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
      return page.addInitScript(WATCH_VIOLATIONS);
    },
  });
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitLive(30000);
      assert.equal(v.fontLoaded, true);
      const meta = await p.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content);
      assert.equal(meta, POLICY);
      assert.deepEqual(await p.page.evaluate(() => window.__cspViolations), [], 'no violation on a normal boot');
      // The policy is in force and the watch sees it: an inline script is refused and reported.
      const inlineRan = await p.page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true';
        document.body.appendChild(s);
        return !!window.__inlineRan;  // an allowed inline script runs as it is appended
      });
      assert.equal(inlineRan, false, 'an inline script ran: the policy is not in force');
      // The report is an event that comes after the refusal: wait for it, with a deadline.
      await p.page.waitForFunction(() => window.__cspViolations.length >= 1, null, { timeout: 10000 });
      // One report per policy in force: the <meta>'s, and the reference hub's header (the same one).
      const reports = await p.page.evaluate(() => window.__cspViolations);
      assert.ok(reports.length >= 1 && reports.length <= 2, `the refused inline script was reported (${reports.join('; ')})`);
      assert.ok(reports.every((r) => r.startsWith('script-src')), `only the inline script was refused (${reports.join('; ')})`);
      const icon = await p.page.evaluate(async () => {
        const href = document.querySelector('link[rel="icon"]').href;
        const r = await fetch(href);
        return { href, status: r.status, type: r.headers.get('content-type') };
      });
      assert.equal(icon.status, 200, `favicon ${icon.href}`);
      assert.match(icon.type, /image\/svg\+xml/);
      assert.deepEqual(failed, [], 'nothing the page loaded failed');
      summary('csp', { violations: 0, favicon: icon.href.replace(ctx.hub.url, '/') });
    });
  } finally {
    await p.close();
  }
});
