// The page around the wasm (a file, not an inline script: the page runs under a strict
// Content-Security-Policy). It
//  - fetches config.json (optional), index.wasm, the CJK font (optional) and index.js, each retried
//    with capped exponential backoff and jitter while the server is half up ("Loading… attempt n"),
//    so a kiosk that reaches a server mid-restart ends up LIVE; a 4xx of an optional file is
//    "absent", anything else (5xx, network error, a stalled download) is retried (an optional file
//    only 3 more times once index.wasm came: then the server is up and the file is what fails);
//  - says clearly when WebGL2 is missing;
//  - keeps a watchdog: a wasm that aborts or throws before its loop starts, or a loop that stalls
//    while the page is visible, gets a DOM banner, and the page reloads as the last resort once the
//    server answers again (reloading into a dead server would leave the browser's error page on
//    the wall for good).
// window.vigilPage is the small API the wasm talks to (src/platform/web/vigil_page.js).
(function () {
  'use strict';
  var overlay = document.getElementById('overlay');
  var text = document.getElementById('overlay-text');
  var bar = document.getElementById('overlay-progress');
  var canvas = document.getElementById('canvas');
  var params = new URLSearchParams(location.search);
  var lastAlive = 0, started = false, failed = false, reloadTimer = null, reloadGen = 0, stalled = false;
  var bootAt = 0;  // when index.js was asked for: the wasm has BOOT_LIMIT_MS of visible time to draw
  var BOOT_LIMIT_MS = 30000;
  var config = {};

  canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });

  function show(msg, isError) {
    overlay.style.display = 'flex';
    overlay.className = isError ? 'error' : '';
    text.textContent = msg;
    bar.style.display = isError ? 'none' : '';
  }
  function seconds(name, fallback) {
    var q = parseFloat(params.get(name));
    if (q >= 0) return q;
    var c = config[name];
    return typeof c === 'number' && c >= 0 ? c : fallback;
  }

  // Reload as the last resort, but only into a server that answers.
  function reloadWhenServerAnswers(delayS, why) {
    if (reloadTimer) return;
    var gen = ++reloadGen;
    var due = performance.now() + delayS * 1000;
    var tick = function () {
      if (gen !== reloadGen) return;  // called off: the loop came back
      var left = Math.max(0, Math.ceil((due - performance.now()) / 1000));
      show(why + ' Reloading in ' + left + ' s.', true);
      if (left > 0) { reloadTimer = setTimeout(tick, 1000); return; }
      fetch(location.pathname, { cache: 'no-store' }).then(function (r) {
        if (gen !== reloadGen) return;
        if (r.ok) { window.vigilPage.reloads = (window.vigilPage.reloads || 0) + 1; location.reload(); }
        else throw new Error(String(r.status));
      }).catch(function () {
        if (gen !== reloadGen) return;
        show(why + ' The server does not answer; trying again.', true);
        due = performance.now() + 5000;
        reloadTimer = setTimeout(tick, 1000);
      });
    };
    tick();
  }

  // The wasm died before its loop ever ran: nothing else would ever notice.
  function bootFailed(why) {
    if (started || failed) return;
    failed = true;
    window.vigilPage.bootFailures = (window.vigilPage.bootFailures || 0) + 1;
    reloadWhenServerAnswers(seconds('abort_reload_s', 5), 'The display failed to start (' + why + ').');
  }

  window.vigilPage = {
    configText: '',
    fontBytes: null,
    loadAttempts: {},  // file -> attempts it took (or is taking)
    alive: function () {
      lastAlive = performance.now();
      if (!started) { started = true; overlay.style.display = 'none'; }
      if (stalled) {
        // The loop is back after a stall: call the reload off (an abort never comes back here).
        stalled = false;
        ++reloadGen;
        clearTimeout(reloadTimer);
        reloadTimer = null;
        overlay.style.display = 'none';
        window.vigilPage.stallsRecovered = (window.vigilPage.stallsRecovered || 0) + 1;
      }
    },
    started: function () {}
  };

  // An exception out of main() (or anything the start-up runs) reaches here as an uncaught error or
  // a rejected promise; Emscripten calls no onAbort for it.
  window.addEventListener('error', function (e) {
    if (bootAt) bootFailed(e.message || 'script error');
  });
  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    if (bootAt) bootFailed(r && r.message ? r.message : String(r));
  });

  // Watchdog: a visible page whose loop is silent for 10 s shows a banner, then reloads unless the
  // loop comes back first. A hidden page draws nothing, so its silence starts when it is shown again
  // (the first frame after that can come after the watchdog's next look).
  var shownAt = 0;
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') lastAlive = shownAt = performance.now();
  });
  setInterval(function () {
    if (failed || document.visibilityState !== 'visible') return;
    var now = performance.now();
    if (!started) {
      if (bootAt && now - Math.max(bootAt, shownAt) > BOOT_LIMIT_MS)
        bootFailed('no frame ' + Math.round(BOOT_LIMIT_MS / 1000) + ' s after loading');
      return;
    }
    var silent = now - lastAlive;
    if (silent <= 10000) return;
    stalled = true;
    var why = 'The display stopped updating (no frame for ' + Math.round(silent / 1000) + ' s).';
    var delayS = seconds('watchdog_reload_s', 60);
    if (delayS > 0) reloadWhenServerAnswers(delayS, why);
    else show(why, true);  // 0: never reload, only say so
  }, 2000);

  // A kiosk shows no mouse pointer on the wall.
  if (params.get('kiosk') === '1') document.body.style.cursor = 'none';

  var probe = document.createElement('canvas');
  if (!probe.getContext('webgl2')) {
    failed = true;
    show('This browser has no WebGL2, which Vigil needs to draw. Enable hardware acceleration, or use a current Chrome, Edge or Firefox.', true);
    return;
  }

  // --- fetching, retried ---------------------------------------------------------------------

  // Before the n-th retry: a random wait in [ceil/2, ceil), ceil = min(8 s, 0.5 s * 2^(n-1)).
  function retryDelayMs(n) {
    var ceil = Math.min(8000, 500 * Math.pow(2, Math.min(n, 10) - 1));
    return ceil / 2 + Math.random() * ceil / 2;
  }

  // One line on the overlay while any file is being retried (the latest word wins).
  var phase = 'Loading…';
  function retrying(file, attempt, why, waitMs) {
    window.vigilPage.loadAttempts[file] = attempt + 1;
    text.textContent = 'Loading… attempt ' + (attempt + 1) + ' (' + file + ': ' + why + '; next try in ' +
      Math.max(1, Math.round(waitMs / 1000)) + ' s)';
  }
  function loaded(file, attempt) {
    window.vigilPage.loadAttempts[file] = attempt;
    if (/attempt/.test(text.textContent)) text.textContent = phase;
  }

  var progress = {};  // file -> {got, total}: one entry per file, whatever the number of attempts
  function updateBar() {
    var got = 0, total = 0;
    for (var k in progress) { got += progress[k].got; total += progress[k].total; }
    if (total > 0) bar.value = Math.min(100, 100 * got / total);
  }

  // One attempt: resolves to a Uint8Array, or null when an optional file is absent (4xx);
  // rejects with a short reason on anything worth another try. A download that makes no progress
  // for STALL_MS is abandoned (a half-up server can accept and say nothing).
  var STALL_MS = 10000;
  function fetchOnce(url, optional, attempt) {
    var ctl = window.AbortController ? new AbortController() : null;
    var stall = null;
    var poke = function () {
      clearTimeout(stall);
      stall = setTimeout(function () { if (ctl) ctl.abort(); }, STALL_MS);
    };
    poke();
    progress[url] = { got: 0, total: 0 };
    var opts = { signal: ctl ? ctl.signal : undefined, cache: attempt > 1 || url === 'config.json' ? 'no-cache' : 'default' };
    return fetch(url, opts).then(function (r) {
      if (optional && r.status >= 400 && r.status < 500) return null;
      if (!r.ok) throw new Error('HTTP ' + r.status);
      progress[url].total = parseInt(r.headers.get('Content-Length') || '0', 10);
      if (!r.body || !r.body.getReader) return r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      var reader = r.body.getReader(), chunks = [], got = 0;
      return (function pump() {
        return reader.read().then(function (step) {
          poke();
          if (step.done) {
            var all = new Uint8Array(got), at = 0;
            chunks.forEach(function (c) { all.set(c, at); at += c.length; });
            return all;
          }
          chunks.push(step.value); got += step.value.length;
          progress[url].got = got; updateBar();
          return pump();
        });
      })();
    }).then(function (v) { clearTimeout(stall); return v; }, function (e) {
      clearTimeout(stall);
      throw new Error(e && e.name === 'AbortError' ? 'no progress for ' + STALL_MS / 1000 + ' s' : (e && e.message) || String(e));
    });
  }

  // Fetches until it works: resolves to the bytes, or null for an absent optional file. An optional
  // file that keeps failing once the server has shown it is up (index.wasm came) is given up after
  // OPTIONAL_TRIES more attempts: a font the network refuses must not keep the page from starting.
  var OPTIONAL_TRIES = 3, serverUp = false;
  function fetchBytes(url, optional) {
    var attempt = 0, failedSinceUp = 0;
    return (function tryOnce() {
      ++attempt;
      return fetchOnce(url, optional, attempt).then(function (bytes) {
        loaded(url, attempt);
        if (!optional) serverUp = true;
        return bytes;
      }, function (e) {
        if (optional && serverUp && ++failedSinceUp >= OPTIONAL_TRIES) {
          console.warn('vigil: ' + url + ': ' + e.message + ' (attempt ' + attempt + '): going on without it');
          loaded(url, attempt);
          return null;
        }
        var wait = retryDelayMs(attempt);
        console.warn('vigil: ' + url + ': ' + e.message + ' (attempt ' + attempt + ', next in ' + Math.round(wait) + ' ms)');
        retrying(url, attempt, e.message, wait);
        return new Promise(function (resolve) { setTimeout(resolve, wait); }).then(tryOnce);
      });
    })();
  }

  // index.js can only come through a <script> element (the policy allows no eval): on an error the
  // element goes and a new one tries again (with ?attempt=n, so no cached failure is reused).
  function loadScript(attempt) {
    var s = document.createElement('script');
    s.src = attempt > 1 ? 'index.js?attempt=' + attempt : 'index.js';
    s.onload = function () { loaded('index.js', attempt); };
    s.onerror = function () {
      s.remove();
      var wait = retryDelayMs(attempt);
      retrying('index.js', attempt, 'could not load', wait);
      setTimeout(function () { loadScript(attempt + 1); }, wait);
    };
    document.body.appendChild(s);
  }

  function start(wasm) {
    phase = 'Starting…';
    text.textContent = phase;
    bootAt = performance.now();
    window.Module = {
      canvas: canvas,
      wasmBinary: wasm.buffer,
      print: function (t) { console.log(t); },
      printErr: function (t) { console.warn(t); },
      onAbort: function (what) {
        failed = true;
        reloadWhenServerAnswers(seconds('abort_reload_s', 5), 'The display crashed (' + (what || 'abort') + ').');
      }
    };
    loadScript(1);
  }

  // config.json is optional: an absent or unreadable one leaves the defaults in force (the wasm
  // shows what was wrong with it). The font too: without it the page shows ASCII English.
  phase = 'Loading the display and its font…';
  text.textContent = phase;
  Promise.all([fetchBytes('config.json', true), fetchBytes('index.wasm', false), fetchBytes('fonts/vigil-sc.otf', true)])
    .then(function (files) {
      var t = files[0] ? new TextDecoder().decode(files[0]) : '';
      window.vigilPage.configText = t;
      try { var c = JSON.parse(t); if (c && typeof c === 'object') config = c; } catch (e) {}
      window.vigilPage.fontBytes = files[2];   // null: ASCII fallback
      start(files[1]);
    });
})();
