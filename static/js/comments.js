/*
 * Riposte comment section: progressive enhancement of #comments.
 *
 * The page works without this file: Reply and Quote links open the reply
 * page, @N links are permalinks, <details> collapse threads. With it:
 *   - inline reply: a copy of the main form opens under the comment
 *   - quote: the selection (or the whole comment) goes into the form as a quote
 *   - reference previews: hovering or focusing #N / @N shows comment N
 *   - relative times: "(3 hours ago)" after each comment's time, and the
 *     summary's "latest 3 hours ago"
 *   - "new since your last visit" marks, with "Jump to next new" (never on the
 *     reader's own comments)
 *   - the reader's comments awaiting review move to their place in the thread
 *   - keys: j / k next / previous comment, n next new comment
 *   - collapse all / expand all replies
 *   - [–] / [+N] on each comment with replies folds its thread, remembered
 *     for the tab (sessionStorage) while the reader moves between pages
 *   - "12 more replies in this thread": an unfolded long reply list stays
 *     unfolded for the tab too
 */
(function () {
  "use strict";

  var section = document.getElementById("comments");
  if (!section || !section.querySelector(".comment-list--root, .comment-form")) {
    return;
  }

  var LANG = document.documentElement.lang || undefined;
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var mainForm = section.querySelector("form.comment-form");
  var tools = section.querySelector(".comments__tools");

  // ─── Helpers ─────────────────────────────────────────────────────────────

  function commentItem(number) {
    var item = document.getElementById("c" + number);
    return item && item.matches("li.comment") && section.contains(item) ? item : null;
  }

  function cardOf(item) {
    return item.querySelector(":scope > .comment__card");
  }

  function isPlainClick(event) {
    return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
  }

  function scrollBehavior() {
    return reducedMotion.matches ? "auto" : "smooth";
  }

  function newUUID() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID(); // secure contexts only (https, localhost)
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function makeButton(label, className) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = className || "comments__button";
    button.textContent = label;
    return button;
  }

  /* Open every collapsed <details> around an element so it can be seen. */
  function reveal(element) {
    for (var node = element.parentElement; node && node !== section; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
      }
    }
  }

  /* Move keyboard focus to a comment's card and bring it into view. */
  function focusComment(item) {
    var card = cardOf(item);
    if (!card) {
      return;
    }
    reveal(item);
    if (!card.hasAttribute("tabindex")) {
      card.setAttribute("tabindex", "-1");
    }
    card.focus({ preventScroll: true });
    card.scrollIntoView({ behavior: scrollBehavior(), block: "start" });
  }

  // ─── Form tokens on a shared page ────────────────────────────────────────

  /* The page anonymous readers share (served whole from a cache) carries no CSRF token,
     submission token or stamp. Its form, hidden without JavaScript (a link leads to the
     form page instead), fetches them once when the reader starts writing. */
  section.querySelectorAll("[data-needs-js]").forEach(function (node) {
    node.hidden = false;
  });
  section.querySelectorAll(".comments__write").forEach(function (node) {
    node.hidden = true;
  });

  var tokensRequest = null;

  function formTokens(url) {
    if (!tokensRequest) {
      tokensRequest = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("form tokens: " + response.status);
          }
          return response.json();
        });
      tokensRequest.catch(function () {
        tokensRequest = null; // try again on the next attempt
      });
    }
    return tokensRequest;
  }

  function fillTokens(form) {
    return formTokens(form.dataset.tokens).then(function (tokens) {
      ["csrfmiddlewaretoken", "stamp"].forEach(function (name) {
        var field = form.querySelector('input[name="' + name + '"]');
        if (field) {
          field.value = tokens[name];
        }
      });
      var token = form.querySelector('input[name="submission_token"]');
      if (token && !token.value) {
        token.value = tokens.submission_token;
      }
      form.dataset.tokensFilled = "1";
    });
  }

  section.addEventListener("focusin", function (event) {
    var form = event.target.closest("form[data-tokens]");
    if (form && !form.dataset.tokensFilled) {
      fillTokens(form).catch(function () {});
    }
  });

  // Capture: runs before the other submit handlers, and holds the submit until filled.
  section.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-tokens]") || form.dataset.tokensFilled) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    fillTokens(form).then(function () {
      form.requestSubmit(submitter || undefined);
    }, function () {
      // Sent without a token, the refusal page keeps the reader's text to post again.
      form.submit();
    });
  }, true);

  // ─── Inline reply ────────────────────────────────────────────────────────

  var inlineForm = null; // the one open inline reply form, if any

  /* A copy of the main form, cleaned and made unique, that posts a reply to `number`. */
  function buildReplyForm(number, action) {
    var form = mainForm.cloneNode(true);
    var suffix = "-r" + number;
    form.classList.add("comment-form--inline");
    form.setAttribute("action", action);
    form.dataset.replyTo = number;
    form.querySelectorAll(".alert, .invalid-feedback").forEach(function (node) {
      node.remove();
    });
    form.querySelectorAll(".is-invalid").forEach(function (node) {
      node.classList.remove("is-invalid");
    });

    // Every id gets the suffix; so do the attributes that point at ids.
    form.querySelectorAll("[id]").forEach(function (node) {
      node.id += suffix;
    });
    form.querySelectorAll("label[for]").forEach(function (label) {
      label.htmlFor += suffix;
    });
    form.querySelectorAll("[aria-describedby], [aria-labelledby], [aria-controls]").forEach(function (node) {
      ["aria-describedby", "aria-labelledby", "aria-controls"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value) {
          node.setAttribute(name, value.split(/\s+/).map(function (id) { return id + suffix; }).join(" "));
        }
      });
    });

    var title = document.createElement("h4");
    title.className = "comment-form__title";
    title.id = "reply-title" + suffix;
    var author = commentItem(number) && commentItem(number).querySelector(".comment__author");
    title.textContent = "Reply to #" + number + (author ? " by " + author.textContent.trim() : "");
    form.setAttribute("aria-labelledby", title.id);
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    form.insertBefore(title, csrf ? csrf.nextSibling : form.firstChild);

    form.querySelector("input[name=parent]").value = number;
    var token = form.querySelector("input[name=submission_token]");
    if (token) {
      token.value = newUUID();
    }
    form.querySelector("textarea").value = "";

    var submit = form.querySelector("button[type=submit]:not([name])");
    if (submit) {
      submit.textContent = "Post reply";
    }
    // A guest's name and email typed here are kept for the next form.
    form.addEventListener("input", function (event) {
      var name = event.target.name;
      if (name === "guest_name" || name === "guest_email") {
        var field = mainForm.querySelector('[name="' + name + '"]');
        if (field) {
          field.value = event.target.value;
        }
      }
    });
    var cancel = makeButton("Cancel", "btn btn-link comment-form__cancel");
    cancel.addEventListener("click", closeReplyForm);
    form.querySelector(".comment-form__buttons").appendChild(cancel);
    return form;
  }

  function openReplyForm(number, action) {
    var item = commentItem(number);
    if (!item || !mainForm) {
      return null;
    }
    if (inlineForm && inlineForm.dataset.replyTo === String(number)) {
      return inlineForm;
    }
    var draft = inlineForm ? inlineForm.querySelector("textarea").value : "";
    closeReplyForm({ keepFocus: true });
    inlineForm = buildReplyForm(number, action);
    // A draft started under another comment moves along rather than being lost.
    inlineForm.querySelector("textarea").value = draft;
    cardOf(item).insertAdjacentElement("afterend", inlineForm);
    reveal(inlineForm);
    return inlineForm;
  }

  function closeReplyForm(options) {
    if (!inlineForm) {
      return;
    }
    var number = inlineForm.dataset.replyTo;
    inlineForm.remove();
    inlineForm = null;
    if (!(options && options.keepFocus)) {
      var link = section.querySelector('a.comment__reply[data-reply="' + number + '"]');
      if (link) {
        link.focus();
      }
    }
  }

  function focusTextarea(form) {
    var textarea = form.querySelector("textarea");
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    form.scrollIntoView({ behavior: scrollBehavior(), block: "nearest" });
  }

  // ─── Quote ───────────────────────────────────────────────────────────────

  var pressedSelection = null; // selection seen when the Quote link was pressed

  /* Text selected inside the body, or "" (both ends of the selection must be in it). */
  function selectedTextIn(body) {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      return "";
    }
    if (!body.contains(selection.anchorNode) || !body.contains(selection.focusNode)) {
      return "";
    }
    return selection.toString();
  }

  /* The body as Markdown-ish text: paragraphs, list markers, nested quotes and
     code blocks survive; emphasis becomes plain text. */
  function bodyText(element) {
    var blocks = [];
    var inline = ""; // text of inline nodes between blocks
    function flush() {
      if (inline.trim()) {
        blocks.push(inline.trim());
      }
      inline = "";
    }
    element.childNodes.forEach(function (node) {
      var tag = node.nodeType === Node.ELEMENT_NODE ? node.tagName : "";
      if (tag === "BLOCKQUOTE") {
        flush();
        blocks.push(bodyText(node).split("\n").map(function (line) {
          return line ? "> " + line : ">";
        }).join("\n"));
      } else if (tag === "UL" || tag === "OL") {
        flush();
        var start = parseInt(node.getAttribute("start") || "1", 10);
        blocks.push(Array.prototype.map.call(node.children, function (item, index) {
          var marker = tag === "OL" ? start + index + ". " : "- ";
          return marker + bodyText(item).replace(/\n/g, "\n   ");
        }).join("\n"));
      } else if (tag === "PRE") {
        flush();
        blocks.push("```\n" + node.textContent.replace(/\n$/, "") + "\n```");
      } else if (/^(P|DIV|H[1-6]|TABLE|HR)$/.test(tag)) {
        flush();
        blocks.push(tag === "HR" ? "---" : bodyText(node));
      } else if (tag === "BR") {
        inline += "\n";
      } else {
        inline += inlineText(node).replace(/\s+/g, " ");
      }
    });
    flush();
    return blocks.join("\n\n");
  }

  /* Inline content: links keep their address, code its backticks. */
  function inlineText(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return node.nodeType === Node.TEXT_NODE ? node.textContent : "";
    }
    if (node.tagName === "CODE") {
      return "`" + node.textContent + "`";
    }
    var text = Array.prototype.map.call(node.childNodes, inlineText).join("");
    if (node.tagName === "A" && !node.classList.contains("comment-ref") && node.href !== text) {
      return "[" + text + "](" + node.getAttribute("href") + ")";
    }
    return text;
  }

  function quoteMarkdown(number, text) {
    var item = commentItem(number);
    var author = item && item.querySelector(".comment__author");
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n{3,}/g, "\n\n").trim().split("\n");
    var quoted = lines.map(function (line) {
      return line.trim() ? "> " + line : ">";
    }).join("\n");
    var source = "#" + number + (author ? ", " + author.textContent.trim() : "");
    return quoted + "\n>\n> — " + source + "\n\n";
  }

  /* Quote into the open inline reply; else into the main form if the reader is
     writing there; else open a reply to the quoted comment (as without JS). */
  function quoteComment(number, replyHref) {
    var item = commentItem(number);
    var body = item && item.querySelector(":scope > .comment__card > .comment__body");
    if (!body) {
      return false;
    }
    var text = "";
    if (pressedSelection && pressedSelection.number === number) {
      text = pressedSelection.text;
    }
    text = text || selectedTextIn(body) || bodyText(body);
    pressedSelection = null;

    var form = inlineForm;
    if (!form && mainForm && mainForm.querySelector("textarea").value.trim()) {
      form = mainForm;
    }
    if (!form) {
      form = openReplyForm(number, replyHref);
    }
    if (!form) {
      return false;
    }
    var textarea = form.querySelector("textarea");
    var before = textarea.value.replace(/\s+$/, "");
    textarea.value = (before ? before + "\n\n" : "") + quoteMarkdown(number, text);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    focusTextarea(form);
    return true;
  }

  section.addEventListener("pointerdown", function (event) {
    var link = event.target.closest("a.comment__quote[data-quote]");
    if (!link) {
      return;
    }
    var number = link.dataset.quote;
    var item = commentItem(number);
    var body = item && item.querySelector(":scope > .comment__card > .comment__body");
    pressedSelection = body ? { number: number, text: selectedTextIn(body) } : null;
  });

  // ─── Clicks: reply, quote, references ────────────────────────────────────

  section.addEventListener("click", function (event) {
    if (!isPlainClick(event)) {
      return;
    }
    var link = event.target.closest("a");
    if (!link || !section.contains(link)) {
      return;
    }
    if (link.matches("a.comment__reply[data-reply]")) {
      var form = openReplyForm(link.dataset.reply, link.getAttribute("href"));
      if (form) {
        event.preventDefault();
        focusTextarea(form);
      }
    } else if (link.matches("a.comment__quote[data-quote]")) {
      var replyLink = section.querySelector('a.comment__reply[data-reply="' + link.dataset.quote + '"]');
      var href = replyLink ? replyLink.getAttribute("href") : link.getAttribute("href").split("?")[0];
      if (quoteComment(link.dataset.quote, href)) {
        event.preventDefault();
      }
    } else if (link.matches("a.comment-ref[data-ref]")) {
      var target = commentItem(link.dataset.ref);
      if (target) {
        event.preventDefault();
        hidePreview();
        reveal(target);
        if (location.hash === "#" + target.id) {
          target.scrollIntoView({ behavior: scrollBehavior(), block: "start" });
        } else {
          location.hash = target.id; // keeps :target and the Back button right
        }
        var card = cardOf(target);
        card.setAttribute("tabindex", "-1");
        card.focus({ preventScroll: true });
      }
    }
  });

  // ─── Reference previews ──────────────────────────────────────────────────

  var POPUP_ID = "comment-preview-popup";
  var popup = null;
  var popupLink = null;
  var showTimer = 0;
  var hideTimer = 0;

  /* A copy of comment N's name line and body, without ids or focusable links. */
  function previewContent(item) {
    var fragment = document.createDocumentFragment();
    var card = cardOf(item);
    var name = card.querySelector(".comment__name, .comment__placeholder");
    var body = card.querySelector(":scope > .comment__body");
    var nameCopy = document.createElement("div");
    nameCopy.className = "comment__name comment-pop__name";
    nameCopy.innerHTML = name ? name.innerHTML : "#" + item.dataset.n;
    fragment.appendChild(nameCopy);
    if (body) {
      fragment.appendChild(body.cloneNode(true));
    }
    fragment.querySelectorAll("[id]").forEach(function (node) {
      node.removeAttribute("id");
    });
    fragment.querySelectorAll("a").forEach(function (anchor) {
      var span = document.createElement("span");
      span.className = anchor.className;
      span.innerHTML = anchor.innerHTML;
      anchor.replaceWith(span);
    });
    return fragment;
  }

  function placePopup(link) {
    var rect = link.getBoundingClientRect();
    var gap = 6;
    var width = popup.offsetWidth;
    var height = popup.offsetHeight;
    var viewportWidth = document.documentElement.clientWidth;
    var left = Math.min(Math.max(rect.left, 8), viewportWidth - width - 8);
    var below = rect.bottom + gap + height <= window.innerHeight || rect.top < height + gap;
    var top = below ? rect.bottom + gap : rect.top - gap - height;
    popup.style.left = Math.max(left, 8) + window.scrollX + "px";
    popup.style.top = top + window.scrollY + "px";
  }

  function showPreview(link) {
    var item = commentItem(link.dataset.ref);
    if (!item || link.closest(".comment-pop")) {
      return;
    }
    clearTimeout(hideTimer);
    if (popupLink === link) {
      return;
    }
    hidePreview();
    popup = document.createElement("div");
    popup.id = POPUP_ID;
    popup.className = "comment-pop";
    popup.setAttribute("role", "tooltip");
    popup.appendChild(previewContent(item));
    popup.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popup.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(popup);
    if (popup.scrollHeight > popup.clientHeight + 1) {
      popup.classList.add("is-clipped");
    }
    placePopup(link);
    popupLink = link;
    link.setAttribute("aria-describedby", POPUP_ID);
  }

  function hidePreview() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (popup) {
      popup.remove();
      popup = null;
    }
    if (popupLink) {
      popupLink.removeAttribute("aria-describedby");
      popupLink = null;
    }
  }

  /* A short grace period lets the pointer move onto the preview (WCAG 1.4.13). */
  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hidePreview, 150);
  }

  function refLink(event) {
    var link = event.target.closest && event.target.closest("a.comment-ref[data-ref]");
    return link && section.contains(link) ? link : null;
  }

  section.addEventListener("mouseover", function (event) {
    var link = refLink(event);
    if (link && !link.contains(event.relatedTarget)) {
      clearTimeout(showTimer);
      clearTimeout(hideTimer);
      showTimer = setTimeout(function () { showPreview(link); }, 120);
    }
  });
  section.addEventListener("mouseout", function (event) {
    var link = refLink(event);
    if (link && !link.contains(event.relatedTarget)) {
      scheduleHide();
    }
  });
  section.addEventListener("focusin", function (event) {
    var link = refLink(event);
    if (link) {
      showPreview(link);
    }
  });
  section.addEventListener("focusout", function (event) {
    if (refLink(event)) {
      hidePreview();
    }
  });
  window.addEventListener("resize", hidePreview);

  // ─── Relative times ──────────────────────────────────────────────────────

  var UNITS = [
    ["year", 365 * 24 * 3600],
    ["month", 30 * 24 * 3600],
    ["week", 7 * 24 * 3600],
    ["day", 24 * 3600],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];

  function relativeTime(date, now) {
    var seconds = Math.round((date.getTime() - now) / 1000);
    var format = new Intl.RelativeTimeFormat(LANG, { numeric: "auto" });
    for (var i = 0; i < UNITS.length; i++) {
      var size = UNITS[i][1];
      if (Math.abs(seconds) >= size || UNITS[i][0] === "second") {
        if (UNITS[i][0] === "second" && Math.abs(seconds) < 45) {
          return format.format(0, "second"); // "now"
        }
        return format.format(Math.round(seconds / size), UNITS[i][0]);
      }
    }
    return "";
  }

  function addTimeHints() {
    if (!window.Intl || !Intl.RelativeTimeFormat) {
      return;
    }
    var now = Date.now();
    var full = new Intl.DateTimeFormat(LANG, { dateStyle: "full", timeStyle: "short" });
    section.querySelectorAll(".comment__meta time[datetime]").forEach(function (time) {
      var date = new Date(time.getAttribute("datetime"));
      if (isNaN(date.getTime())) {
        return;
      }
      time.title = full.format(date);
      var hint = time.nextElementSibling;
      if (!hint || !hint.classList.contains("comment__ago")) {
        hint = document.createElement("span");
        hint.className = "comment__ago";
        time.after(hint);
      }
      hint.textContent = " (" + relativeTime(date, now) + ")";
    });
    // The summary's "latest" is short: "2 hours ago", the full date in its title.
    var latest = section.querySelector(".comments__summary time[datetime]");
    var date = latest && new Date(latest.getAttribute("datetime"));
    if (date && !isNaN(date.getTime())) {
      latest.title = full.format(date);
      latest.textContent = relativeTime(date, now);
    }
  }

  // ─── The reader's held comments, in place ────────────────────────────────

  /* The server puts the reader's own comments awaiting review (theirs alone) above the
     thread; each goes where it will stand once approved: last under the comment it
     answers, or among the top-level comments (by number in the chronological view). */
  function placeHeld() {
    var root = section.querySelector("ol.comment-list--root");
    section.querySelectorAll("ol.comments__held").forEach(function (list) {
      var item = list.querySelector(":scope > li.comment");
      var parent = list.dataset.parent ? commentItem(list.dataset.parent) : null;
      if (!item || !root || (list.dataset.parent && !parent && !root.classList.contains("comments--chronological"))) {
        return; // its parent is not on this page: it stays above the thread
      }
      if (root.classList.contains("comments--chronological")) {
        var later = Array.prototype.find.call(root.querySelectorAll(":scope > li.comment[data-n]"), function (other) {
          return readNumber(other.dataset.n) > readNumber(item.dataset.n);
        });
        root.insertBefore(item, later || null);
      } else if (parent) {
        var replies = parent.querySelector(":scope > details.comment__replies > ol.comment-list, :scope > ol.comment-list");
        if (!replies) {
          replies = document.createElement("ol");
          replies.className = "comment-list";
          parent.appendChild(replies);
        }
        replies.appendChild(item);
      } else {
        root.appendChild(item);
      }
      list.remove();
      if (location.hash === "#" + item.id) {
        reveal(item);
        item.scrollIntoView({ block: "start" });
      }
    });
  }

  // ─── New since the last visit ────────────────────────────────────────────

  var newItems = [];
  var newIndex = -1;

  function readNumber(value) {
    var number = parseInt(value, 10);
    return isNaN(number) ? null : number;
  }

  /* Server mark for signed-in readers; localStorage for guests (null on a first visit). */
  function lastSeenNumber(key) {
    if (section.dataset.lastSeen !== undefined) {
      return readNumber(section.dataset.lastSeen);
    }
    try {
      return readNumber(window.localStorage.getItem(key));
    } catch (error) {
      return null; // storage disabled
    }
  }

  function rememberSeen(key, lastNumber) {
    if (section.dataset.lastSeen !== undefined || lastNumber === null) {
      return;
    }
    try {
      var stored = readNumber(window.localStorage.getItem(key));
      if (stored === null || lastNumber > stored) {
        window.localStorage.setItem(key, String(lastNumber));
      }
    } catch (error) {
      // Storage disabled or full: marks simply will not persist.
    }
  }

  /* The comment the reader just posted (the page after a submit lands on it) is not news. */
  function justPosted() {
    var key = "riposte:posted:" + section.dataset.post;
    try {
      var posted = window.sessionStorage.getItem(key);
      window.sessionStorage.removeItem(key);
      var match = posted && /^#c(\d+)$/.exec(location.hash);
      return match ? match[1] : null;
    } catch (error) {
      return null;
    }
  }

  section.addEventListener("submit", function (event) {
    if (event.target.matches("form.comment-form")) {
      try {
        window.sessionStorage.setItem("riposte:posted:" + section.dataset.post, "1");
      } catch (error) {
        // Storage disabled: the new comment may be marked "new"; harmless.
      }
    }
  });

  function markNew() {
    var key = "riposte:lastSeen:" + section.dataset.post;
    var lastNumber = readNumber(section.dataset.lastNumber);
    var lastSeen = lastSeenNumber(key);
    var own = justPosted();
    var reader = section.dataset.reader;
    if (lastSeen !== null) {
      // The reader's own comments, held ones included, are never news to them.
      section.querySelectorAll("li.comment[data-n]:not(.comment--placeholder):not(.comment--held)").forEach(function (item) {
        var mine = item.dataset.n === own || (reader && item.dataset.author === reader);
        if (readNumber(item.dataset.n) > lastSeen && !mine) {
          item.classList.add("is-new");
          var pill = document.createElement("span");
          pill.className = "comment__new";
          pill.textContent = "new";
          var name = item.querySelector(":scope > .comment__card .comment__name");
          if (name) {
            name.appendChild(pill);
          }
          newItems.push(item);
        }
      });
    }
    rememberSeen(key, lastNumber);
    if (newItems.length) {
      showNewStatus();
    }
  }

  function showNewStatus() {
    var status = section.querySelector(".comments__new");
    if (!status) {
      status = document.createElement("p");
      status.className = "comments__new";
      status.setAttribute("role", "status");
      var parent = tools || section;
      parent.insertBefore(status, parent.querySelector(".comments__keys"));
    }
    status.textContent = "";
    var count = document.createElement("span");
    count.textContent =
      newItems.length + " new comment" + (newItems.length === 1 ? "" : "s") + " since your last visit.";
    var jump = makeButton("Jump to next new");
    jump.addEventListener("click", nextNew);
    status.append(count, jump);
  }

  function currentItem() {
    var active = document.activeElement;
    var item = active && active.closest ? active.closest("li.comment") : null;
    return item && section.contains(item) ? item : null;
  }

  /* The first new comment after the focused one (wrapping), else the next in turn. */
  function nextNew() {
    if (!newItems.length) {
      return;
    }
    var current = currentItem();
    if (current) {
      var index = newItems.findIndex(function (item) {
        return current.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING &&
          !current.contains(item);
      });
      newIndex = index === -1 ? 0 : index;
    } else {
      newIndex = (newIndex + 1) % newItems.length;
    }
    focusComment(newItems[newIndex]);
  }

  // ─── Keyboard: j / k / n ─────────────────────────────────────────────────

  function visibleCards() {
    return Array.prototype.filter.call(section.querySelectorAll("li.comment > .comment__card"), function (card) {
      return !card.parentElement.closest("details:not([open])");
    });
  }

  function moveFocus(step) {
    var cards = visibleCards();
    if (!cards.length) {
      return;
    }
    var current = currentItem();
    var index = current ? cards.indexOf(cardOf(current)) : -1;
    var next;
    if (index !== -1) {
      next = cards[Math.min(Math.max(index + step, 0), cards.length - 1)];
    } else if (step > 0) {
      // Nothing focused: the first comment starting below the top of the window.
      next = cards.find(function (card) { return card.getBoundingClientRect().top > 1; }) || cards[cards.length - 1];
    } else {
      var above = cards.filter(function (card) { return card.getBoundingClientRect().top < -1; });
      next = above.length ? above[above.length - 1] : cards[0];
    }
    focusComment(next.parentElement);
  }

  function isTyping(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && popup) {
      hidePreview();
      return;
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
      return;
    }
    if (event.key === "j") {
      moveFocus(1);
    } else if (event.key === "k") {
      moveFocus(-1);
    } else if (event.key === "n" && newItems.length) {
      nextNew();
    } else {
      return;
    }
    event.preventDefault();
  });

  // ─── Tools: keyboard hint, collapse all / expand all ─────────────────────

  function addTools() {
    var keys = section.querySelector(".comments__keys");
    if (keys) {
      keys.hidden = false;
      // site.css shows the hint on touch screens only once a keyboard is used.
      document.addEventListener("keydown", function () {
        section.classList.add("is-keyboard");
      }, { once: true });
    }
    var threads = section.querySelectorAll("details.comment__replies");
    var longFolds = section.querySelectorAll("details.comment__more");
    if (!tools || !threads.length) {
      return;
    }
    var group = document.createElement("div");
    group.className = "comments__collapse";
    var collapse = makeButton("Collapse all replies");
    var expand = makeButton("Expand all");
    collapse.addEventListener("click", function () {
      threads.forEach(function (details) { details.open = false; });
    });
    expand.addEventListener("click", function () {
      threads.forEach(function (details) { details.open = true; });
      longFolds.forEach(function (details) { details.open = true; });
    });
    group.append(collapse, expand);
    var keysHint = tools.querySelector(".comments__keys");
    tools.insertBefore(group, keysHint);
  }

  // ─── Per-comment fold: [–] / [+N] ────────────────────────────────────────

  /* Without JavaScript the <details> summary under a comment folds its thread. With it,
     the comment's own header carries the toggle too, showing how many replies a fold
     hides, and each fold is kept in sessionStorage by post and comment number, so a
     reload or a trip to another comment page and back finds the thread as it was left. */

  function foldKey(details) {
    return "riposte:folded:" + section.dataset.post + ":" + details.parentElement.dataset.n;
  }

  function showFold(details) {
    var button = details.foldButton;
    if (!button) {
      return;
    }
    var number = details.parentElement.dataset.n;
    button.setAttribute("aria-expanded", details.open ? "true" : "false");
    if (details.open) {
      button.textContent = "[–]";
      button.setAttribute("aria-label", "Fold the replies to #" + number);
    } else {
      var hidden = details.querySelectorAll("li.comment").length;
      button.textContent = "[+" + hidden + "]";
      button.setAttribute("aria-label", "Unfold " + hidden + (hidden === 1 ? " reply" : " replies") + " to #" + number);
    }
  }

  function rememberFold(details) {
    try {
      if (details.open) {
        window.sessionStorage.removeItem(foldKey(details));
      } else {
        window.sessionStorage.setItem(foldKey(details), "1");
      }
    } catch (error) {
      // Storage disabled: the fold lasts until the page is left.
    }
  }

  function isRememberedFolded(details) {
    try {
      return window.sessionStorage.getItem(foldKey(details)) === "1";
    } catch (error) {
      return false;
    }
  }

  function addFolds() {
    section.querySelectorAll("li.comment[data-n] > details.comment__replies").forEach(function (details) {
      var head = details.parentElement.querySelector(":scope > .comment__card > .comment__head");
      if (head) {
        var button = makeButton("[–]", "comment__fold");
        button.addEventListener("click", function () {
          details.open = !details.open;
        });
        head.appendChild(button);
        details.foldButton = button;
      }
      if (isRememberedFolded(details)) {
        details.open = false;
      }
      showFold(details);
    });
    // "toggle" does not bubble; caught here it covers the summary, the button,
    // collapse / expand all and reveal() alike.
    section.addEventListener("toggle", function (event) {
      var details = event.target;
      if (details.matches && details.matches("details.comment__replies") && details.parentElement.dataset.n) {
        showFold(details);
        rememberFold(details);
      }
    }, true);
    addLongFolds();
    // A deep link into a thread the reader had folded opens it and lands at once.
    var target = /^#c\d+$/.test(location.hash) && commentItem(location.hash.slice(2));
    if (target && target.closest("details:not([open])")) {
      reveal(target);
      target.scrollIntoView({ block: "start" });
    }
  }

  // ─── Long reply lists: "12 more replies in this thread" ──────────────────

  /* Past a few replies the rest of a reply list is in a closed <details> (comments.tree.folds),
     the same for every reader, so the cached page is shared; its summary unfolds it in place
     with or without JavaScript. Here an unfolded list stays unfolded for the tab, keyed by
     the first comment it holds. */

  function longFoldKey(details) {
    var first = details.querySelector("li.comment[data-n]");
    return first && "riposte:unfolded:" + section.dataset.post + ":" + first.dataset.n;
  }

  function addLongFolds() {
    section.querySelectorAll("details.comment__more").forEach(function (details) {
      var key = longFoldKey(details);
      try {
        if (key && window.sessionStorage.getItem(key) === "1") {
          details.open = true;
        }
      } catch (error) {
        // Storage disabled: folds start closed.
      }
    });
    section.addEventListener("toggle", function (event) {
      var details = event.target;
      var key = details.matches && details.matches("details.comment__more") && longFoldKey(details);
      if (!key) {
        return;
      }
      try {
        if (details.open) {
          window.sessionStorage.setItem(key, "1");
        } else {
          window.sessionStorage.removeItem(key);
        }
      } catch (error) {
        // Storage disabled: the fold lasts until the page is left.
      }
    }, true);
  }

  placeHeld();
  addFolds();
  addTimeHints();
  markNew();
  addTools();
})();
