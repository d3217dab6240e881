// The foundation's end-to-end promise: the page survives a hub killed with SIGKILL and
// started again, without reloading, and shows fresh values afterwards.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser, until, Hub, openPage, withArtifacts } = require('./lib/harness');

test('the page is LIVE again with fresh values after the hub is killed and restarted, without reloading', async () => {
  const hub = await new Hub().start();
  const browser = await launchBrowser();
  const p = await openPage(browser, hub.url, 'hub-restart');
  try {
    await withArtifacts([p], async () => {
      const first = await until('LIVE with a sample', async () => {
        const v = await p.vigil();
        return v && v.state === 'LIVE' && v.lastSample > 0 && v;
      }, 30000);
      const origin = await p.timeOrigin();
      assert.ok(first.values && typeof first.values.cpu === 'number', 'a CPU value is shown');
      const opensBefore = first.opens;

      const killedAt = Date.now();
      await hub.kill('SIGKILL');
      await until('the page to notice the hub is gone', async () => {
        const v = await p.vigil();
        return v.state !== 'LIVE' && v;
      }, 15000);

      await hub.start();  // same port, same journal
      const back = await until('LIVE again', async () => {
        const v = await p.vigil();
        return v.state === 'LIVE' && v.opens > opensBefore && v;
      }, 20000);
      const lastBefore = back.lastSample;
      const fresh = await until('a sample newer than the restart', async () => {
        const v = await p.vigil();
        return v.lastSample > lastBefore && v;
      }, 10000);

      assert.equal(await p.timeOrigin(), origin, 'the page did not reload');
      assert.ok(fresh.closes >= 1, 'the close was seen');
      console.log(`# hub-restart: back LIVE ${Date.now() - killedAt} ms after the kill; opens=${fresh.opens} closes=${fresh.closes}`);
      await p.artifacts('live-after-restart');
    });
  } finally {
    await browser.close();
    await hub.kill('SIGTERM');
  }
});
