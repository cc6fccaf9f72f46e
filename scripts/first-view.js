// Runs in <head> before the body is drawn (a classic script; scripts/assemble.py
// prepends PAGES, the pre-rendered pages' file names). Each page holds a first
// view drawn at build time (src/ui/first_view.rs); this decides whether it is
// what the address will show, so the Wasm, when it takes over, changes nothing:
// - an embed draws another layout: no first view (data-first-view="none");
// - `?example=NAME` or `?exercise=NAME` on another page goes to that one's page
//   (example-NAME.html), query and fragment kept;
// - a share link, a saved session or exercise, a start time: the same layout
//   without its text (data-first-view="skeleton") until the live page is ready.
// The saved or asked-for theme is applied now rather than when the Wasm runs.
(() => {
  const html = document.documentElement;
  const q = new URLSearchParams(location.search);
  const own = new URLSearchParams(html.dataset.opens || '');
  const saved = (key) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  const on = (v) => v !== null && !['0', 'false', 'no', 'off'].includes(v);
  const theme = q.get('theme') || saved('podplay:v1:theme');
  if (theme === 'light' || theme === 'dark') html.dataset.theme = theme;
  if (on(q.get('embed'))) {
    html.dataset.firstView = 'none';
    return;
  }
  const skeleton = () => {
    html.dataset.firstView = 'skeleton';
  };
  for (const kind of ['example', 'exercise']) {
    const name = q.get(kind);
    if (name === null) continue;
    if (own.get(kind) === name) break;
    const page = `${kind}-${name}.html`;
    if (PAGES.includes(page)) location.replace(page + location.search + location.hash);
    else skeleton();
    return;
  }
  if (q.has('start')) return skeleton();
  if (own.has('example') || own.has('exercise')) return;
  if (location.hash.length > 1 || saved('podplay:v1:session') || saved('podplay:v1:exercise')) skeleton();
})();
