// An old comment link (#comment-123 on a WordPress or Disqus blog) came with the old
// address to this post: ask the server which comment it named (imports/views.py).
(function () {
  "use strict";
  var script = document.currentScript;
  var match = /^#comment-([A-Za-z0-9_.-]{1,200})$/.exec(window.location.hash);
  if (!script || !match || document.getElementById(window.location.hash.slice(1))) {
    return;
  }
  window.location.replace(script.dataset.href + "?id=" + encodeURIComponent(match[1]));
})();
