// Starts the Wasm's download from <head> (an inline classic script, run right
// after scripts/first-view.js; scripts/assemble.py prepends WASM_URL) and
// leaves the response in `window.podplayWasm` for the loader
// (scripts/loader.js, a module that runs only once the page is parsed and
// the glue has arrived: on Slow 4G that was another round trip, 100 ms).
//
// On a fast network it is fetched once the first view drawn at build time
// has been painted and its paint recorded (its largest-contentful-paint
// entry), then one task later (a slow one: below). Two reasons: a live page that replaced the first view before that
// record left the live page's copy as the page's LCP; and Lighthouse's
// simulated network counts a download that ended before the LCP as holding it
// up (the Wasm preloaded from <head>, which a fast connection finishes before
// the first paint, made its LCP 3.5 s). At once when there is no first view
// to keep (an embed without one, a skeleton whose text is hidden: first-view.js
// set data-first-view), the browser records no such entries, or the page is
// hidden (a tab opened in the background: a page hidden before its first
// paint records none). Else 3 s at most (an off-screen frame may draw
// nothing). Not sooner: on a loaded machine Chromium presented the first
// paint 1.2 s after navigation although its frame was drawn at 0.1 s; a
// fallback of one second (from <head>, or from the first animation frame)
// then started the download before that paint, the unthrottled download
// ended before it and Lighthouse's LCP became 3.5-3.9 s (docs/performance.md).
//
// Where the first view is the scenario the page opens, the first module
// fetched is the early player's (EARLY_WASM_URL, src/ui/early.rs: the engine
// and the views, 503 KB gzip -9 against the page's 618 KB), which plays that view
// while the loader fetches the page's after it; else the page's (WASM_URL).
// src/ui/early.rs says which pages it plays and checks again.
(() => {
  const SLOW_MS = 120;
  if (window.podplayLeaving) return;
  const html = document.documentElement;
  const q = new URLSearchParams(location.search);
  const own = new URLSearchParams(html.dataset.opens || '');
  const on = (v) => v !== null && !['0', 'false', 'no', 'off'].includes(v);
  window.podplayEarlyFirst = !html.dataset.firstView && !own.has('exercise') && !q.has('exercise')
    && !q.has('start') && !on(q.get('scenario'));
  const first = window.podplayEarlyFirst ? EARLY_WASM_URL : WASM_URL;
  const shown = new Promise((done) => {
    const types = (typeof PerformanceObserver === 'function' && PerformanceObserver.supportedEntryTypes) || [];
    const hidden = () => document.visibilityState === 'hidden';
    if (document.documentElement.dataset.firstView || !types.includes('largest-contentful-paint') || hidden()) {
      done();
      return;
    }
    let over = false;
    let seen;
    const finish = () => {
      if (over) return;
      over = true;
      seen.disconnect();
      setTimeout(done, 0);
    };
    seen = new PerformanceObserver((list) => {
      if (list.getEntries().length > 0) finish();
    });
    seen.observe({ type: 'largest-contentful-paint', buffered: true });
    document.addEventListener('visibilitychange', () => {
      if (hidden()) finish();
    });
    setTimeout(finish, 3000);
  });
  // On a slow network the download begins now, while the first view is
  // parsed and painted. Slow: this script ran SLOW_MS or more after the
  // page's request (a round trip of Slow 4G's 150 ms and over; the
  // navigation entry's own responseStart does not show DevTools' throttling,
  // the time this script runs does; unthrottled it runs 35-50 ms after the
  // request, on Fast 4G 85-100 ms). The page is inline, so its paint does not
  // wait for these bytes, and on Slow 4G the Wasm's last byte, 2.6 s later,
  // decides when the Pod is live (first-view bench: requested at 190 ms
  // instead of 330 ms). Neither reason above holds there: the live page
  // still takes over only after the first view's paint is recorded
  // (`shown`), and at such a round trip the download cannot end before that
  // paint. A machine so loaded that the script runs that late starts early
  // too; a Lighthouse run on it could then count the download.
  const nav = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : undefined;
  const slow = nav !== undefined && performance.now() - nav.requestStart >= SLOW_MS;
  window.podplayWasm = slow
    ? Promise.all([fetch(first), shown]).then(([res]) => res)
    : shown.then(() => fetch(first));
  // The loader reports a failure; this copy is not left unhandled.
  window.podplayWasm.catch(() => {});
})();
