// podplay embed helper (optional): sizes each <iframe data-podplay> to its
// content. It accepts only {type: "podplay:height", height: number} messages
// sent by one of this page's podplay frames, from that frame's own origin,
// and clamps the height. It sends nothing, stores nothing and loads nothing.
(function () {
  'use strict';
  var MIN_PX = 200;
  var MAX_PX = 4000;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'podplay:height') return;
    if (typeof data.height !== 'number' || !isFinite(data.height)) return;
    var frames = document.querySelectorAll('iframe[data-podplay]');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      var origin;
      try { origin = new URL(frame.src, location.href).origin; } catch (e) { return; }
      if (event.origin !== origin) return;
      frame.style.height = Math.max(MIN_PX, Math.min(MAX_PX, Math.round(data.height))) + 'px';
      return;
    }
  });
})();
