// A hub started with --token: a page with the wrong token shows UNAUTHORIZED with the reason and
// probes slowly (LinkConfig::unauthorized_probe_ms = 60 s + 0-25 %): over 30 s after the first
// refusal the hub sees at most one more upgrade from it. A page with the right token is LIVE.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, hold, summary, Hub, openPage, withArtifacts } = require('./lib/harness');

const TOKEN = 'tok-3f9a1c7e5b';

test('wrong token -> UNAUTHORIZED with the reason and at most one probe in 30 s; right token -> LIVE', async () => {
  const hub = await new Hub({ args: ['--token', TOKEN] }).start();
  const browser = await launchBrowser();
  const openedAt = Date.now();
  const bad = await openPage(browser, `${hub.url}?token=wrong`, 'auth-wrong');
  const good = await openPage(browser, `${hub.url}?token=${TOKEN}`, 'auth-right');
  try {
    await withArtifacts([bad, good], async () => {
      const refused = await bad.waitFor('UNAUTHORIZED', (v) => v.state === 'UNAUTHORIZED', 20000, 20);
      const refusedAt = Date.now();
      assert.equal(refused.link, 'unauthorized');
      assert.equal(refused.lastCloseCode, 4401);
      assert.match(refused.reason, /4401|bad token/, 'the banner says why');
      assert.ok(refused.nextTryInMs >= 55000 && refused.nextTryInMs <= 76000, `next probe in ${refused.nextTryInMs} ms (60 s + 0-25 %)`);
      assert.ok(!/wrong/.test(refused.url), `the token is not shown to scripts (${refused.url})`);

      // The right token, meanwhile.
      const live = await good.waitLive();
      assert.match(live.url, /token=\*\*\*/, 'redacted');

      // The probe interval: count the hub's refused upgrades over the next 30 s.
      await hold(30000);
      const { connects } = await hub.connects();
      const refusals = connects.filter((c) => c.outcome === 'bad_token');
      const firstRefusal = Math.min(...refusals.map((c) => c.t));
      const later = refusals.filter((c) => c.t > firstRefusal && c.t <= firstRefusal + 30000);
      assert.ok(refusals.length >= 1);
      assert.ok(later.length <= 1, `${later.length} more upgrades within 30 s of the first refusal`);
      const still = await bad.vigil();
      assert.equal(still.state, 'UNAUTHORIZED', 'still UNAUTHORIZED, not hammering');
      assert.ok(still.attempts - refused.attempts <= 1);
      assert.equal(connects.filter((c) => c.outcome === 'accepted').length, 1, 'the right token got in once');
      const liveAfter = await good.vigil();
      assert.equal(liveAfter.state, 'LIVE');
      assert.equal(liveAfter.opens, 1);
      await bad.assertNotReloaded();
      await good.assertNotReloaded();
      summary('auth', { unauthorized_after_open_ms: refusedAt - openedAt, attempts: still.attempts, probes_in_30s: later.length,
        next_probe_s: (refused.nextTryInMs / 1000).toFixed(0) });
    });
  } finally {
    await bad.close();
    await good.close();
    await browser.close();
    await hub.kill();
  }
});
