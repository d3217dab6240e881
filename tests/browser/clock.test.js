// Correct time on a wrong clock: a display PC whose own clock is minutes off (Date faked by an
// init script, as a machine without NTP would be) still draws the hub's time, in the configured
// IANA time zone, and says in the footer how far off its own clock is. The hub is the real one.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { summary, openPage, withArtifacts, hubAndBrowser, withConfig } = require('./lib/harness');

const ctx = hubAndBrowser(test);
const ZONE = 'Asia/Kolkata';  // UTC+5:30: a half-hour zone, and not this machine's

// The page's Date runs `skewMs` off the real clock (Date.now(), new Date(), Date() with no argument).
const fakeClock = (skewMs) => `(() => {
  const Real = Date, skew = ${skewMs};
  const realNow = Real.now.bind(Real);
  function Fake(...a) {
    if (!new.target) return new Real(realNow() + skew).toString();
    return a.length ? new Real(...a) : new Real(realNow() + skew);
  }
  Fake.prototype = Real.prototype;
  Fake.now = () => realNow() + skew;
  Fake.UTC = Real.UTC;
  Fake.parse = Real.parse;
  window.Date = Fake;
})();`;

// Seconds of the day of "hh:mm:ss".
const secondsOf = (hms) => { const [h, m, s] = hms.split(':').map(Number); return h * 3600 + m * 60 + s; };
// The real time now in ZONE, as seconds of the day (node's clock is the machine's, not faked).
const zoneSecondsNow = () => secondsOf(new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date()));
const circular = (a, b) => { const d = Math.abs(a - b) % 86400; return Math.min(d, 86400 - d); };

test('a page whose clock is 7 min 13 s slow draws hub time in the configured zone and says so in the footer', async () => {
  const skew = -(7 * 60 + 13) * 1000;
  const p = await openPage(ctx.browser, ctx.hub.url, 'clock-slow', {
    beforeGoto: async (page) => { await page.addInitScript(fakeClock(skew)); await withConfig({ time_zone: ZONE })(page); },
  });
  try {
    await withArtifacts([p], async () => {
      await p.waitLive();
      const fakeNow = await p.page.evaluate(() => Date.now());
      assert.ok(Math.abs(fakeNow - Date.now() - skew) < 2000, 'the fake clock is in force in the page');
      // The clock ping after welcome brings pong.hub_t with a round trip.
      const v = await p.waitFor('hub time from a pong', (s) => s.clockSource === 'pong' && /clock is/.test(s.statusLine), 15000);
      assert.deepEqual(v.configErrors, []);
      assert.equal(v.timeZone, ZONE);
      assert.ok(Math.abs(v.hubTime - Date.now()) < 2000, `hubTime ${v.hubTime} is the real time (node ${Date.now()})`);
      assert.ok(Math.abs(v.clockSkewMs - skew) < 2000, `skew ${v.clockSkewMs} ms ~ ${skew} ms`);
      assert.ok(circular(secondsOf(v.clock), zoneSecondsNow()) <= 2, `drawn clock ${v.clock} is the real ${ZONE} time`);
      assert.match(v.statusLine, /this PC's clock is 7 min 1[234] s slow \(hub time shown\)/);
      // As drawn, whole: the status line's 620 px clip never cuts "slow" (its own footer slot).
      assert.match(v.statusDrawn, /this PC's clock is 7 min 1[234] s slow \(hub time shown\)$/, `drawn: ${v.statusDrawn}`);
      summary('clock-slow', { clock: v.clock, skewMs: v.clockSkewMs, source: v.clockSource, uncertaintyMs: v.clockUncertaintyMs });
    });
  } finally {
    await p.close();
  }
});

test('a page whose clock is 5 min fast says "fast"; one that is right says nothing', async () => {
  const fast = await openPage(ctx.browser, ctx.hub.url, 'clock-fast', { beforeGoto: (page) => page.addInitScript(fakeClock(5 * 60000)) });
  const right = await openPage(ctx.browser, ctx.hub.url, 'clock-right');
  try {
    await withArtifacts([fast, right], async () => {
      const f = await fast.waitFor('the skew in the footer', (s) => s.state === 'LIVE' && /clock is/.test(s.statusLine), 30000);
      assert.match(f.statusLine, /this PC's clock is (4 min 5\d|5 min \d) s fast/);
      assert.match(f.statusDrawn, /this PC's clock is (4 min 5\d|5 min \d) s fast \(hub time shown\)$/, `drawn: ${f.statusDrawn}`);
      const r = await right.waitFor('hub time known', (s) => s.state === 'LIVE' && s.clockSource === 'pong', 30000);
      assert.ok(Math.abs(r.clockSkewMs) < 2000, `skew ${r.clockSkewMs}`);
      assert.doesNotMatch(r.statusLine, /clock is/);
    });
  } finally {
    await fast.close();
    await right.close();
  }
});

test('an unknown time zone is named on screen and the browser zone stays', async () => {
  const p = await openPage(ctx.browser, ctx.hub.url, 'clock-bad-zone', { beforeGoto: withConfig({ time_zone: 'Mars/Olympus_Mons' }) });
  try {
    await withArtifacts([p], async () => {
      const v = await p.waitLive();
      const e = v.configErrors.find((x) => x.key === 'time_zone');
      assert.ok(e && /unknown time zone "Mars\/Olympus_Mons"/.test(e.message), JSON.stringify(v.configErrors));
      assert.notEqual(v.timeZone, 'Mars/Olympus_Mons');
    });
  } finally {
    await p.close();
  }
});
