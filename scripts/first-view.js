// Runs in <head> before the body is drawn (a classic script; scripts/assemble.py
// prepends PAGES, the pre-rendered pages' file names). Each page holds a first
// view drawn at build time (src/ui/first_view.rs); this decides whether it is
// what the address will show, so the Wasm, when it takes over, changes nothing:
// - an embed (`?embed=1&example=NAME`, the compact player) goes to its own
//   page (embed-NAME.html), query and fragment kept, when nothing in the
//   address changes what it first draws (the editor, the panes, a start time,
//   a session in the fragment); else it shows no first view
//   (data-first-view="none");
// - `?example=NAME` or `?exercise=NAME` on another page goes to that one's page
//   (example-NAME.html), query and fragment kept;
// - a share link, a saved session or exercise, a start time: the same layout
//   without its text (data-first-view="skeleton") until the live page is ready.
// The saved or asked-for theme is applied now rather than when the Wasm runs.
// A page it leaves sets `window.podplayLeaving` (scripts/wasm-fetch.js, run
// next, then fetches nothing).
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
  const leave = (page) => {
    window.podplayLeaving = true;
    location.replace(page + location.search + location.hash);
  };
  const on = (v) => v !== null && !['0', 'false', 'no', 'off'].includes(v);
  const theme = q.get('theme') || saved('podplay:v1:theme');
  if (theme === 'light' || theme === 'dark') html.dataset.theme = theme;
  // A guide once dismissed (GUIDE_KEY in src/ui/mod.rs) is not drawn in the
  // first view either: it would show, then vanish when the live page came.
  if (saved('podplay:v1:guide')) html.dataset.guide = 'dismissed';
  // An embed's page opened with no example named is that embed (src/ui/mod.rs).
  const ownEmbed = on(own.get('embed'));
  if (on(q.get('embed')) || (ownEmbed && !q.has('example') && !q.has('exercise'))) {
    const name = q.get('example') ?? own.get('example');
    const drawn = name !== null && !on(q.get('editor')) && !on(q.get('panes')) && !q.has('start')
      && !q.has('exercise') && location.hash.length <= 1;
    if (drawn && ownEmbed && own.get('example') === name) return;
    const page = `embed-${name}.html`;
    if (drawn && PAGES.includes(page)) leave(page);
    else html.dataset.firstView = 'none';
    return;
  }
  const skeleton = () => {
    html.dataset.firstView = 'skeleton';
  };
  for (const kind of ['example', 'exercise']) {
    const name = q.get(kind);
    if (name === null) continue;
    if (own.get(kind) === name && !ownEmbed) break;
    const page = `${kind}-${name}.html`;
    if (PAGES.includes(page)) leave(page);
    else skeleton();
    return;
  }
  if (q.has('start')) return skeleton();
  if (own.has('example') || own.has('exercise')) return;
  if (location.hash.length > 1 || saved('podplay:v1:session') || saved('podplay:v1:exercise')) skeleton();
})();
