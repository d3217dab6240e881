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
//    the wall for good);
//  - picks up a new build by itself: build.json (written by the build: the id and each file's size
//    and SHA-256) is read again on every connection to the hub and every update_check_s; a new id
//    gets its files fetched and checked (index.wasm also compiled: a build this browser cannot
//    compile is refused, the wall stays on the build it runs), then the page reloads at a quiet
//    moment (LIVE, the same alarms for 10 s), at most once per build id in this tab (sessionStorage);
//  - backs off between reloads after failed starts (abort_reload_s doubling per consecutive failed
//    start in this tab, to abort_reload_max_s), so a build that never starts is not reloaded every 5 s.
// window.vigilPage is the small API the wasm talks to (src/platform/web/vigil_page.js).
(function () {
  'use strict';
  var overlay = document.getElementById('overlay');
  var text = document.getElementById('overlay-text');
  var bar = document.getElementById('overlay-progress');
  var canvas = document.getElementById('canvas');
  var params = new URLSearchParams(location.search);
  var lastAlive = 0, started = false, failed = false, reloadTimer = null, reloadGen = 0, stalled = false;
  var reloadProbe = null;  // the server probe before a reload, while it runs
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
  // A query value as given (an operator's or a test's override); a config.json value only within
  // the range the page's config check accepts (src/model/page_config.cpp), so a value the screen
  // names as bad keeps its default here too.
  var RANGES = {
    watchdog_reload_s: [10, 86400, true], update_check_s: [10, 86400, true],
    abort_reload_s: [1, 86400, false], abort_reload_max_s: [1, 86400, false]
  };
  function seconds(name, fallback) {
    var q = parseFloat(params.get(name));
    if (q >= 0) return q;
    var c = config[name], r = RANGES[name] || [0, Infinity, true];
    var ok = typeof c === 'number' && ((c >= r[0] && c <= r[1]) || (r[2] && c === 0));
    return ok ? c : fallback;
  }

  // Every request the page makes on its own (boot files, the new-build checks, the server probe
  // before a reload) is read to its end here and abandoned after STALL_MS without progress: a
  // half-up server can accept and say nothing, and a request that never ends would stop the next
  // check or the reload for good. Resolves to a Uint8Array, or to what head(response) returns when
  // that is not undefined (an optional file's 4xx: null); head may throw. The promise's abort()
  // gives up at once (a reload called off). Rejects with "no progress for 10 s" on a stall.
  var STALL_MS = 10000;
  function fetchAll(url, init, head, onChunk) {
    var ctl = window.AbortController ? new AbortController() : null;
    var stall = null;
    var poke = function () {
      clearTimeout(stall);
      stall = setTimeout(function () { if (ctl) ctl.abort(); }, STALL_MS);
    };
    poke();
    init.signal = ctl ? ctl.signal : undefined;
    var done = fetch(url, init).then(function (r) {
      poke();
      var early = head ? head(r) : undefined;
      if (early !== undefined) return early;
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
          if (onChunk) onChunk(got);
          return pump();
        });
      })();
    }).then(function (v) { clearTimeout(stall); return v; }, function (e) {
      clearTimeout(stall);
      throw new Error(e && e.name === 'AbortError' ? 'no progress for ' + STALL_MS / 1000 + ' s' : (e && e.message) || String(e));
    });
    done.abort = function () { if (ctl) ctl.abort(); };
    return done;
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
      reloadProbe = fetchAll(location.pathname, { cache: 'no-store' }, function (r) {
        if (!r.ok) throw new Error(String(r.status));
      });
      reloadProbe.then(function () {
        reloadProbe = null;
        if (gen !== reloadGen) return;
        window.vigilPage.reloads = (window.vigilPage.reloads || 0) + 1;
        location.reload();
      }).catch(function () {
        reloadProbe = null;
        if (gen !== reloadGen) return;
        show(why + ' The server does not answer; trying again.', true);
        due = performance.now() + 5000;
        reloadTimer = setTimeout(tick, 1000);
      });
    };
    tick();
  }

  // The delay before a reload after a failed start: abort_reload_s after the first failed start
  // in a row in this tab, doubling with each further one, never above abort_reload_max_s (or
  // abort_reload_s, if that is longer). The count lives in sessionStorage (each reload is a new
  // document) and goes back to 0 once a page draws its first frame.
  var FAILED_STARTS = 'vigil.failedStarts';
  function startFailedDelayS() {
    var n = Math.min(30, (parseInt(session(FAILED_STARTS), 10) || 0) + 1);
    session(FAILED_STARTS, String(n));
    window.vigilPage.failedStarts = n;
    var base = seconds('abort_reload_s', 5);
    var max = Math.max(base, seconds('abort_reload_max_s', 300));
    var delayS = Math.min(max, base * Math.pow(2, n - 1));
    window.vigilPage.reloadDelayS = delayS;
    return delayS;
  }

  // The wasm died before its loop ever ran: nothing else would ever notice.
  function bootFailed(why) {
    if (started || failed) return;
    failed = true;
    window.vigilPage.bootFailures = (window.vigilPage.bootFailures || 0) + 1;
    // A build this tab reloaded into by itself says so: the wall shows which build failed.
    var fresh = update.current && session(RELOADED_FOR) === update.current;
    if (fresh) { update.state = 'failed_to_start'; update.reason = why; }
    reloadWhenServerAnswers(startFailedDelayS(),
      (fresh ? 'The new build ' + update.current + ' failed to start (' : 'The display failed to start (') + why + ').');
  }

  // --- the build this page runs, and the next one (state in window.vigil.update) ---------------
  var RELOADED_FOR = 'vigil.reloadedFor', UPDATED_FROM = 'vigil.updatedFrom';
  var QUIET_MS = 10000, QUIET_GIVE_UP_MS = 120000;
  var update = {
    state: 'idle',     // idle, fetching, ready (waiting for a quiet moment), reloading, refused (its
                       // index.wasm does not compile here), failed, failed_to_start, off
    current: '',       // build id this page runs (build.json at boot; '' without one)
    available: '',     // a newer id the server offers
    checks: 0,         // build.json reads since boot
    reason: '',        // the latest problem (a file that did not match, the loop guard)
    updatedFrom: ''    // the build this tab ran before it reloaded itself into this one
  };
  function session(key, value) {
    try {
      if (value === undefined) return sessionStorage.getItem(key) || '';
      sessionStorage.setItem(key, value);
    } catch (e) { /* storage off: no guard kept, the id comparison still holds */ }
    return '';
  }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  // A build whose .wasm does not compile in this browser (whatever build.json says of it) is
  // refused: the error names it, `refusedKey` (id and the listed SHA-256s) keeps the same files
  // from being fetched again and again; a new id or new files are tried.
  function Refusal(message) { this.message = message; }
  var refusedKey = '';
  function manifestKey(m) {
    return m.build + ' ' + Object.keys(m.files || {}).sort().map(function (n) {
      var f = m.files[n] || {};
      return n + ':' + f.bytes + ':' + f.sha256;
    }).join(' ');
  }
  // Each file of the new build, from the server (cache: 'reload' also refreshes the browser's
  // cache, which the reload then reads), checked for its size and SHA-256. crypto.subtle exists
  // only in a secure context (https, localhost): elsewhere the sizes alone are checked. Each .wasm
  // is then compiled (not run): a wall never reloads into a module its browser rejects.
  function compiles(name, buf) {
    if (!/\.wasm$/.test(name) || !window.WebAssembly) return Promise.resolve();
    return WebAssembly.compile(buf).then(function () {}, function (e) {
      throw new Refusal(name + ' does not compile here (' + ((e && e.message) || String(e)) + '): not reloading into it');
    });
  }
  function fetchAndCheck(manifest) {
    var names = Object.keys(manifest.files || {});
    if (!names.length) return Promise.reject(new Error('build.json lists no files'));
    return names.reduce(function (chain, name) {
      return chain.then(function () {
        return fetchAll(name, { cache: 'reload' }, function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
        }).catch(function (e) { throw new Error(name + ': ' + e.message); }).then(function (buf) {
          var want = manifest.files[name] || {};
          if (buf.byteLength !== want.bytes)
            throw new Error(name + ': ' + buf.byteLength + ' bytes, build.json says ' + want.bytes);
          if (!(window.crypto && crypto.subtle)) return compiles(name, buf);
          return crypto.subtle.digest('SHA-256', buf).then(function (d) {
            if (hex(d) !== want.sha256) throw new Error(name + ': SHA-256 differs from build.json');
            return compiles(name, buf);
          });
        });
      });
    }, Promise.resolve());
  }
  var checking = false, quietTimer = null, lastManifest = null;
  function checkForBuild() {
    if (!update.current || checking || update.state === 'off' || update.state === 'ready' || update.state === 'reloading' ||
        update.state === 'failed_to_start') return;
    checking = true;
    ++update.checks;
    fetchAll('build.json', { cache: 'no-store' }, function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
    }).catch(function (e) { throw new Error('build.json: ' + e.message); }).then(function (bytes) {
      var m = JSON.parse(new TextDecoder().decode(bytes));
      if (!m || typeof m.build !== 'string' || !m.build) throw new Error('build.json names no build');
      if (m.build === update.current) return;
      lastManifest = m;
      update.available = m.build;
      if (manifestKey(m) === refusedKey) return;  // refused already: state and reason stay
      if (session(RELOADED_FOR) === m.build) {
        // This tab reloaded for that build once and still runs another: never a reload loop.
        update.state = 'failed';
        update.reason = 'reloaded once for ' + m.build + ' and still running ' + update.current + ': not again';
        return;
      }
      update.state = 'fetching';
      return fetchAndCheck(m).then(function () {
        update.state = 'ready';
        update.reason = '';
        reloadWhenQuiet(m.build);
      });
    }).catch(function (e) {
      if (e instanceof Refusal) { update.state = 'refused'; refusedKey = manifestKey(lastManifest); }
      else if (update.state === 'fetching') update.state = 'idle';  // the next check tries again
      update.reason = (e && e.message) || String(e);
      console.warn('vigil: new build check: ' + update.reason);
    }).then(function () { checking = false; });
  }
  // A quiet moment: the screen LIVE and the same set of alarms (host, metric, level:
  // window.vigil.alarmsKey, so one clearing while another appears is a change) for QUIET_MS (a wall
  // never blinks away during an incident); after QUIET_GIVE_UP_MS of waiting, any LIVE moment does.
  function reloadWhenQuiet(id) {
    var since = 0, alarms = null, readyAt = performance.now();
    clearInterval(quietTimer);
    quietTimer = setInterval(function () {
      var v = window.vigil, now = performance.now();
      if (!v || v.state !== 'LIVE') { since = 0; alarms = null; return; }  // LIVE for QUIET_MS on end
      var key = typeof v.alarmsKey === 'string' ? v.alarmsKey : String(v.alarms);
      if (key !== alarms) { alarms = key; since = now; }
      if (now - since < QUIET_MS && now - readyAt < QUIET_GIVE_UP_MS) return;
      clearInterval(quietTimer);
      update.state = 'reloading';
      // Only into a server that answers (the page's server may be down while its hub is up): a
      // reload into an error page would leave the wall there for good.
      fetchAll(location.pathname, { cache: 'no-store' }, function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
      }).then(function () {
        session(RELOADED_FOR, id);
        session(UPDATED_FROM, update.current);
        window.vigilPage.reloads = (window.vigilPage.reloads || 0) + 1;
        location.reload();
      }, function (e) {
        update.state = 'ready';
        update.reason = 'the page\'s server does not answer (' + e.message + '): reloading once it does';
        reloadWhenQuiet(id);  // another quiet moment, then another try
      });
    }, 1000);
  }

  window.vigilPage = {
    configText: '',
    fontBytes: null,
    build: '',         // this page's build id (build.json at boot)
    update: update,
    // The wasm's link opened (a hub restarted or upgraded comes back this way): look for a new build.
    connected: function () { checkForBuild(); },
    loadAttempts: {},  // file -> attempts it took (or is taking)
    alive: function () {
      lastAlive = performance.now();
      if (!started) {
        started = true;
        overlay.style.display = 'none';
        if (session(FAILED_STARTS)) session(FAILED_STARTS, '');  // it starts: the back-off is over
      }
      if (stalled) {
        // The loop is back after a stall: call the reload off (an abort never comes back here).
        stalled = false;
        ++reloadGen;
        clearTimeout(reloadTimer);
        reloadTimer = null;
        if (reloadProbe) reloadProbe.abort();  // a probe still waiting on a hung server ends now
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
  // rejects with a short reason on anything worth another try.
  function fetchOnce(url, optional, attempt) {
    progress[url] = { got: 0, total: 0 };
    var cache = attempt > 1 || url === 'config.json' || url === 'build.json' ? 'no-cache' : 'default';
    return fetchAll(url, { cache: cache }, function (r) {
      if (optional && r.status >= 400 && r.status < 500) return null;
      if (!r.ok) throw new Error('HTTP ' + r.status);
      progress[url].total = parseInt(r.headers.get('Content-Length') || '0', 10);
    }, function (got) { progress[url].got = got; updateBar(); });
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
        if (failed) return;  // bootFailed (or an earlier abort) has it in hand already
        failed = true;
        var fresh = !started && update.current && session(RELOADED_FOR) === update.current;
        if (fresh) { update.state = 'failed_to_start'; update.reason = String(what || 'abort'); }
        // Before the first frame an abort is a failed start: the same back-off as bootFailed.
        reloadWhenServerAnswers(started ? seconds('abort_reload_s', 5) : startFailedDelayS(),
          (fresh ? 'The new build ' + update.current + ' failed to start (' : 'The display crashed (') + (what || 'abort') + ').');
      }
    };
    loadScript(1);
  }

  // config.json is optional: an absent or unreadable one leaves the defaults in force (the wasm
  // shows what was wrong with it). The font too: without it the page shows ASCII English.
  phase = 'Loading the display and its font…';
  text.textContent = phase;
  Promise.all([fetchBytes('config.json', true), fetchBytes('index.wasm', false), fetchBytes('fonts/vigil-sc.otf', true),
               fetchBytes('build.json', true)])
    .then(function (files) {
      var t = files[0] ? new TextDecoder().decode(files[0]) : '';
      window.vigilPage.configText = t;
      try { var c = JSON.parse(t); if (c && typeof c === 'object') config = c; } catch (e) {}
      try { var b = files[3] && JSON.parse(new TextDecoder().decode(files[3])); if (b && typeof b.build === 'string') update.current = b.build; } catch (e) {}
      window.vigilPage.build = update.current;
      if (update.current && session(RELOADED_FOR) === update.current) update.updatedFrom = session(UPDATED_FROM);
      var every = seconds('update_check_s', 300);
      if (!update.current || every <= 0) update.state = 'off';  // no build.json, or switched off
      else setInterval(checkForBuild, Math.max(10, every) * 1000);
      window.vigilPage.fontBytes = files[2];   // null: ASCII fallback
      start(files[1]);
    });
})();
