// Comments: reply in place and post without a full reload. Without this file the form
// still works: Reply links reload the page with the form set up, and posting redirects.
(function () {
  "use strict";
  var HEADER = "masthead-comments";

  function $(sel, root) { return (root || document).querySelector(sel); }

  // The comments this browser posted and may still change: the server lists them, each
  // with its deadline, in the cookie "masthead_editable" ("id.until-id.until", no secret;
  // the change itself is allowed by a signed cookie scripts cannot read). Each gets a
  // link to its change page under it until the deadline, on cached pages too. The time
  // left is said in minutes, not as a clock time, which would be in this browser's time
  // zone while the page's times are in the site's.
  var editTimer = null;

  function minutesLeft(until) {
    var n = Math.ceil((until - Date.now() / 1000) / 60);
    return n === 1 ? "1 more minute" : n + " more minutes";
  }

  function editLinks() {
    var section = $("#comments");
    var match = document.cookie.match(/(?:^|;\s*)masthead_editable=([^;]*)/);
    if (!section || !match) return;
    var address = section.getAttribute("data-edit-url") || "";
    var now = Date.now() / 1000;
    match[1].split("-").forEach(function (pair) {
      var parts = pair.split("."), id = parseInt(parts[0], 10), until = parseInt(parts[1], 10);
      var item = id && until > now && document.getElementById("comment-" + id);
      var card = item && item.querySelector(".comment__card");
      if (!card || card.querySelector(".comment__edit")) return;
      var line = document.createElement("p");
      line.className = "comment__edit";
      line.setAttribute("data-until", until);
      var link = document.createElement("a");
      link.href = address.replace("/0/", "/" + id + "/");
      link.textContent = "Change or delete your comment (for " + minutesLeft(until) + ")";
      line.appendChild(link);
      card.appendChild(line);
    });
    if (!editTimer && $(".comment__edit")) editTimer = setInterval(tickEditLinks, 20000);
  }

  function tickEditLinks() {
    var lines = document.querySelectorAll(".comment__edit[data-until]");
    lines.forEach(function (line) {
      var until = parseInt(line.getAttribute("data-until"), 10);
      if (until <= Date.now() / 1000) { line.remove(); return; }
      line.firstChild.textContent =
        "Change or delete your comment (for " + minutesLeft(until) + ")";
    });
    if (!document.querySelector(".comment__edit[data-until]")) {
      clearInterval(editTimer);
      editTimer = null;
    }
  }

  function setup() {
    editLinks();
    var respond = $("#respond"), home = $("#respond-home");
    if (!respond || !home) return;
    var title = $("[data-reply-title]", respond);
    var cancel = $("#cancel-comment-reply-link", respond);
    var status = document.createElement("p");
    status.className = "comment-status";
    status.setAttribute("role", "status");
    status.setAttribute("tabindex", "-1");
    respond.appendChild(status);
    var opener = null;  // the Reply link that moved the form, for focus on Cancel

    function say(text) {
      status.textContent = text;
      status.focus();
    }

    function setTitle(name) {
      title.textContent = "Leave a Reply";
      if (name) {
        title.appendChild(document.createTextNode(" to "));
        var who = document.createElement("bdi");
        who.textContent = name;
        title.appendChild(who);
      }
    }

    function moveHome() {
      home.parentNode.insertBefore(respond, home.nextSibling);
      var parent = $("#comment-parent");
      if (parent) parent.value = "";
      setTitle("");
      cancel.hidden = true;
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".comment-reply-link");
      if (link) {
        event.preventDefault();
        var item = document.getElementById("comment-" + link.getAttribute("data-reply-to"));
        var card = item && item.querySelector(".comment__card");
        if (!card) return;
        card.parentNode.insertBefore(respond, card.nextSibling);
        $("#comment-parent").value = link.getAttribute("data-reply-to");
        setTitle(link.getAttribute("data-reply-name"));
        cancel.hidden = false;
        opener = link;
        $("#comment").focus();
      } else if (event.target === cancel) {
        event.preventDefault();
        moveHome();
        // The focused link is hidden now: back to the Reply link the reader came from.
        if (opener && document.contains(opener)) opener.focus();
        else $("#comment").focus();
        opener = null;
      }
    });

    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.id !== "commentform" || !window.fetch || !window.FormData) return;
      event.preventDefault();
      var button = $("#submit", form);
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": HEADER, "Accept": "application/json" }
      }).then(function (response) {
        return response.json();
      }).then(function (data) {
        if (!data.ok) {
          form.outerHTML = data.form;
          var invalid = $('#commentform [aria-invalid="true"]') || $("#comment-form-errors");
          if (invalid) { invalid.setAttribute("tabindex", "-1"); invalid.focus(); }
          return;
        }
        if (data.id) renew();
        var parentId = $("#comment-parent").value;
        var shown = true;
        if (data.html) shown = insert(data.html, parentId, data.page);
        editLinks();
        if (data.status === "approved") count();
        $("#comment").value = "";
        clearErrors(form);
        moveHome();
        opener = null;
        var added = shown && data.id && document.getElementById("comment-" + data.id);
        if (added) {
          status.textContent = data.message || (data.status === "pending"
            ? "Your comment is awaiting moderation." : "Your comment is published.");
          added.setAttribute("tabindex", "-1");
          added.focus();
        } else if (data.id && data.page) {
          // Its place is on another comment page than this one: say so, with a link there.
          say(data.status === "pending" ? "Your comment is awaiting moderation, on "
            : "Your comment is published, on ");
          var there = document.createElement("a");
          there.href = location.pathname + "?cpage=" + data.page + "#comment-" + data.id;
          there.textContent = "comment page " + data.page;
          status.appendChild(there);
          status.appendChild(document.createTextNode("."));
        } else {
          say(data.message || "Thank you.");  // held or discarded: nothing new to focus
        }
      }).catch(function () {
        form.submit();  // let the server answer the ordinary way
      }).then(function () {
        var again = $("#submit");
        if (again) again.disabled = false;
      });
    });
  }

  // What an earlier, refused post left on the form: its summary, each field's message and
  // the fields marked invalid.
  function clearErrors(form) {
    var summary = $("#comment-form-errors", form);
    if (summary) summary.remove();
    form.querySelectorAll(".field-error").forEach(function (node) { node.remove(); });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (field) {
      field.removeAttribute("aria-invalid");
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(
        function (id) { return id && document.getElementById(id); });
      if (described.length) field.setAttribute("aria-describedby", described.join(" "));
      else field.removeAttribute("aria-describedby");
    });
  }

  // Story pages may be kept by the browser for a minute, and posting here changed no
  // address: fetch the story again past that copy, so that opening it again (a link, Back
  // after leaving) shows the new comment.
  function renew() {
    if (!window.fetch) return;
    var urls = [location.pathname + location.search];
    if (location.search) urls.push(location.pathname);
    urls.forEach(function (url) {
      fetch(url, { cache: "reload", credentials: "same-origin" }).catch(function () {});
    });
  }

  function count() {
    var title = $("#comments-title");
    var n = (parseInt(title.textContent, 10) || 0) + 1;
    title.textContent = n + (n === 1 ? " Comment" : " Comments");
  }

  // Puts the new comment where the server would: replies after their siblings, a new thread
  // last (first when the newest come first), and nowhere if its page is another one.
  // Returns whether it is on screen.
  function insert(html, parentId, page) {
    var section = $("#comments");
    var onScreen = section && parseInt(section.getAttribute("data-page"), 10) || 1;
    if (!parentId && page && page !== onScreen) return false;
    var holder = document.createElement("ol");
    holder.innerHTML = html;
    var item = holder.firstElementChild;
    var list;
    if (parentId) {
      var parent = document.getElementById("comment-" + parentId);
      list = parent && parent.querySelector(":scope > ol.children");
      if (parent && !list) {
        list = document.createElement("ol");
        list.className = "children";
        parent.appendChild(list);
      }
    }
    if (!list) {
      list = $(".comment-list");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-list";
        var title = $("#comments-title");
        title.parentNode.insertBefore(list, title.nextSibling);
        var none = $(".comments__none");
        if (none) none.remove();
      }
    }
    var newestFirst = !parentId && section && section.getAttribute("data-order") === "newest";
    list.insertBefore(item, newestFirst ? list.firstElementChild : null);
    return true;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
