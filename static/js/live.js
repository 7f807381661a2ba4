/*
 * Riposte live updates: announce comments published while the post is open.
 *
 * The comment section carries an empty live region (.comments__live) with the
 * address that counts comments after this page's last number, and how often to
 * ask. While the tab is visible this asks that often (the answer is usually a
 * 304: nothing new); hidden, it stops, and asks once on coming back. When there
 * is something new the region says "3 new comments — show"; "show" is a link to
 * the first new comment's permalink. Without this file the page stays as loaded.
 */
(function () {
  "use strict";

  var region = document.querySelector("#comments .comments__live[data-since-url]");
  if (!region || !window.fetch) {
    return;
  }
  var url = region.getAttribute("data-since-url");
  var seconds = parseFloat(region.getAttribute("data-poll-seconds"));
  if (!(seconds > 0)) {
    return;
  }
  var timer = null;
  var shown = 0;
  var inFlight = false;
  var gone = false;

  function announce(data) {
    if (!data.new || data.new === shown || !data.first_url) {
      return;
    }
    shown = data.new;
    var link = document.createElement("a");
    link.className = "comments__live-show";
    link.href = data.first_url;
    link.textContent = "show";
    region.replaceChildren(
      document.createTextNode(data.new + " new comment" + (data.new === 1 ? "" : "s") + " — "),
      link
    );
  }

  function poll() {
    if (inFlight) {
      return;
    }
    inFlight = true;
    // "no-cache": the browser revalidates with the ETag; an unchanged answer is a 304.
    fetch(url, { cache: "no-cache", credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) {
          gone = true; // the post is gone: nothing more will come
          stop();
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          announce(data);
        }
      })
      .catch(function () {
        // Offline or a server hiccup: the next poll tries again.
      })
      .finally(function () {
        inFlight = false;
      });
  }

  function start() {
    if (timer === null && !gone) {
      timer = window.setInterval(poll, seconds * 1000);
    }
  }

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !gone) {
      poll(); // catch up at once on coming back
      start();
    } else {
      stop();
    }
  });
  if (document.visibilityState === "visible") {
    start();
  }
})();
