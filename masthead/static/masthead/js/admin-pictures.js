// The story body editor's picture picker: "Insert a picture…" under the editor opens a
// dialog listing the picture library (newest first, searchable by alt text, caption and
// credit); choosing one puts it into the story where the cursor is, as a figure with its
// alt text and its caption. The page shows it with its renditions (newsroom/body.py).
(function () {
  "use strict";

  function element(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([name, value]) {
      node.setAttribute(name, value);
    });
    if (text) node.textContent = text;
    return node;
  }

  // The HTML the editor receives: built as DOM nodes, so nothing in a caption is markup.
  function figureHtml(picture) {
    const figure = element("figure");
    const image = element("img", { src: picture.src, alt: picture.alt });
    if (picture.width) {
      image.setAttribute("width", picture.width);
      image.setAttribute("height", picture.height);
    }
    figure.appendChild(image);
    // The credit as the library holds it, as a featured picture shows it: credits often
    // carry their own label ("Illustration: …", "Photo: …").
    const words = [picture.caption, picture.credit];
    const caption = words.filter(Boolean).join(" ");
    if (caption) figure.appendChild(element("figcaption", {}, caption));
    return figure.outerHTML;
  }

  function picker(editor, textarea) {
    const address = textarea.dataset.picturePicker;
    const upload = textarea.dataset.pictureUpload;
    const dialog = element("dialog", { class: "picture-picker", "aria-labelledby": "picture-picker-title" });
    dialog.appendChild(element("h2", { id: "picture-picker-title" }, "Insert a picture"));
    const search = element("input", {
      type: "search", "aria-label": "Search pictures by alt text, caption or credit",
      placeholder: "Search alt text, caption, credit",
    });
    dialog.appendChild(search);
    const status = element("p", { class: "picture-picker__status", role: "status" });
    dialog.appendChild(status);
    const list = element("ul", { class: "picture-picker__list" });
    dialog.appendChild(list);
    const more = element("button", { type: "button", class: "button", hidden: "" }, "More pictures");
    const close = element("button", { type: "button", class: "button" }, "Close");
    const actions = element("p", { class: "picture-picker__actions" });
    actions.append(more, " ", close);
    if (upload) {
      const link = element("a", { href: upload, target: "_blank", rel: "noopener" }, "Upload a new picture");
      actions.append(" ", link, " (opens a new tab; search again here once it is saved)");
    }
    dialog.appendChild(actions);
    document.body.appendChild(dialog);

    let last = null;  // the id of the last picture listed: the next page starts below it
    let pending = null;  // the request under way; a newer one cancels it
    function load(append) {
      if (pending) pending.abort();
      const request = new AbortController();
      pending = request;
      const query = new URLSearchParams({ q: search.value.trim() });
      if (append && last) query.set("before", last);
      if (!append) last = null;
      more.disabled = true;
      status.textContent = "Loading…";
      fetch(address + "?" + query, {
        credentials: "same-origin", headers: { Accept: "application/json" }, signal: request.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("The picture library answered " + response.status + ".");
          return response.json();
        })
        .then(function (data) {
          if (request.signal.aborted) return;  // a newer search or page is on its way
          pending = null;
          more.disabled = false;
          if (!append) list.replaceChildren();
          data.pictures.forEach(function (picture) {
            const choose = element("button", { type: "button", class: "picture-picker__choice" });
            choose.appendChild(element("img", { src: picture.thumbnail, alt: "", loading: "lazy" }));
            choose.appendChild(element("span", {}, picture.alt));
            choose.addEventListener("click", function () {
              editor.chain().focus().insertContent(figureHtml(picture)).run();
              textarea.dispatchEvent(new Event("input", { bubbles: true }));  // unsaved now
              dialog.close();
            });
            const item = element("li");
            item.appendChild(choose);
            list.appendChild(item);
            last = picture.id;
          });
          more.hidden = !data.more;
          const shown = list.children.length;
          status.textContent = shown ? "" : search.value.trim()
            ? "No picture matches “" + search.value.trim() + "”."
            : "The picture library is empty.";
        })
        .catch(function (error) {
          if (request.signal.aborted) return;
          pending = null;
          more.disabled = false;
          status.textContent = "The pictures could not be loaded: " + error.message + " Try again.";
        });
    }
    let typing = null;
    search.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () { load(false); }, 250);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); load(false); }  // not the story form
    });
    more.addEventListener("click", function () { load(true); });
    close.addEventListener("click", function () { dialog.close(); });

    const open = element("button", { type: "button", class: "button picture-picker__open" }, "Insert a picture…");
    open.addEventListener("click", function () {
      dialog.showModal();
      search.focus();
      load(false);
    });
    // Under the editor (outside the admin's flex row, where it would stand beside it).
    const bar = element("div", { class: "help picture-picker__bar" });  // "help": aligned with the field
    bar.appendChild(open);
    const holder = textarea.closest(".flex-container") || textarea.closest(".prose-editor") || textarea;
    holder.insertAdjacentElement("afterend", bar);

    // The toolbar's own picture button asks for a picture's address, and a picture from
    // another site is only a link on the published page: it opens the library instead.
    // On a picture already in the story it still opens the editor's dialog (alt text).
    const editorBox = textarea.closest(".prose-editor") || holder;
    editorBox.addEventListener("click", function (event) {
      const button = event.target.closest && event.target.closest('[data-name="figure"]');
      if (!button || editor.isActive("figure") || editor.isActive("image")) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      open.click();
    }, true);
  }

  document.addEventListener("prose-editor:ready", function (event) {
    const textarea = event.detail.textarea;
    if (textarea && textarea.dataset.picturePicker) picker(event.detail.editor, textarea);
  });
})();
