// Benchmark 10, sockets: 2,000 reconnects against a hub that accepts and closes at once (backoff
// 10 ms through config.json; tests/browser/tools/reconnect_churn.js, the same scenario as the
// browser test socket_table). Prints the page's socket table at its peak and at the end, and the JS
// heap after a forced GC before and after the 2,000.
'use strict';
const L = require('./lib.js');
const { reconnectChurn, CHURN_ARGS } = require('../browser/tools/reconnect_churn');

const count = L.quick ? 500 : 2000;
const result = { count };
L.deadline('sockets', 5 * 60 * 1000, () => result);

(async () => {
  const browser = await L.launchBrowser(CHURN_ARGS);
  try {
    const r = await reconnectChurn(browser, { count, warmup: 100, name: 'bench-sockets' });
    Object.assign(result, r, { reconnectsPerS: L.round(r.reconnects / (r.ms / 1000), 1) });
    console.log(`# sockets: ${r.reconnects} reconnects in ${r.ms} ms; socket table peak ${r.socketTablePeak}, end ${r.socketTableEnd}; ` +
      `JS heap after GC ${(r.heapBeforeBytes / 2 ** 20).toFixed(2)} -> ${(r.heapAfterBytes / 2 ** 20).toFixed(2)} MiB`);
  } finally {
    await browser.close().catch(() => {});
  }
  L.writeResult('sockets', result);
  process.exit(0);
})().catch((e) => { console.error(e); L.writeResult('sockets', { ...result, error: String(e.stack || e) }); process.exit(1); });
