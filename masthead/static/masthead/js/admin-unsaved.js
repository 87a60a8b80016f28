// The story's change page guards unsaved work, as WordPress does:
// - leaving it with unsaved changes asks first. Any typing or choice in the form (the body
//   editor included: its edits bubble up as "input" events) marks it changed; saving it
//   clears the mark;
// - what is typed is also kept in this browser (localStorage), a second after each change,
//   so a crash, a closed tab or a lost connection does not lose it: opening the story again
//   offers to restore it. Only the story's own text fields are kept (headline, slug,
//   standfirst, body, captions, search fields), never anything sent to other sites, and
//   for a week at most.
(function () {
  "use strict";
  const KEPT_TYPES = new Set(["text", "textarea", "url", "search"]);
  const NOT_KEPT = new Set(["opened_version", "conflict_version", "csrfmiddlewaretoken"]);
  const KEPT_FOR = 7 * 24 * 3600 * 1000;  // a week: a shared computer does not keep it for ever
  let bodyEditor = null;

  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea && event.detail.textarea.name === "body") bodyEditor = event.detail.editor;
  });

  // The story form's own text fields (inline rows such as notes have a "-" in their name).
  function keptFields(form) {
    return Array.from(form.elements).filter(function (field) {
      return field.name && !field.name.includes("-") && !NOT_KEPT.has(field.name) &&
        KEPT_TYPES.has(field.type) && !field.disabled && !field.readOnly;
    });
  }

  function valuesOf(form) {
    const values = {};
    keptFields(form).forEach(function (field) { values[field.name] = field.value; });
    return values;
  }

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }  // blocked: no backups
  }

  function readBackup(store, key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (error) { return null; }
  }

  function differs(saved, current) {
    return Object.keys(saved).some(function (name) {
      return name in current && saved[name] !== current[name];
    });
  }

  function restore(form, values) {
    keptFields(form).forEach(function (field) {
      if (!(field.name in values)) return;
      field.value = values[field.name];
      if (field.name === "body" && bodyEditor) bodyEditor.commands.setContent(values.body);
    });
    form.dispatchEvent(new Event("input", { bubbles: true }));  // restored: unsaved again
  }

  function offer(form, backup, store, key) {
    const when = new Date(backup.savedAt).toLocaleString([], {
      day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
    });
    const list = document.createElement("ul");
    list.className = "messagelist story-backup";
    const item = document.createElement("li");
    item.className = "warning";
    item.setAttribute("role", "alert");
    item.append("This browser kept changes to this story that were not saved (" + when + "). ");
    const restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.className = "button";
    restoreButton.textContent = "Restore them";
    const discardButton = document.createElement("button");
    discardButton.type = "button";
    discardButton.className = "button";
    discardButton.textContent = "Discard them";
    item.append(restoreButton, " ", discardButton);
    list.appendChild(item);
    form.parentNode.insertBefore(list, form);
    restoreButton.addEventListener("click", function () {
      restore(form, backup.fields);
      item.className = "success";
      item.replaceChildren("Restored. Check the story, then save it.");
    });
    discardButton.addEventListener("click", function () {
      store.removeItem(key);
      list.remove();
    });
  }

  function keep(form) {
    const store = storage();
    if (!store) return;
    const key = "masthead:story-backup:" + window.location.pathname;
    const versionField = form.elements.namedItem("opened_version");
    const version = versionField ? versionField.value : "";
    const backup = readBackup(store, key);
    if (backup && backup.fields) {
      // Saved since (the form was sent and the story has a new version, or was a new
      // story's), or nothing the page does not already show: forget it. Otherwise offer it,
      // whoever saved the story since.
      const sent = backup.submitted && (backup.version !== version || !version);
      const stale = !(Date.now() - backup.savedAt < KEPT_FOR);
      if (sent || stale || !differs(backup.fields, valuesOf(form))) {
        store.removeItem(key);
      } else {
        offer(form, backup, store, key);
      }
    }
    let timer = null;
    const save = function (submitted) {
      clearTimeout(timer);
      try {
        store.setItem(key, JSON.stringify({
          savedAt: Date.now(), version: version, submitted: submitted, fields: valuesOf(form),
        }));
      } catch (error) { /* full or blocked: the warning on leaving still guards the work */ }
    };
    const later = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { save(false); }, 1000);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () { save(true); });
  }

  function watch(form) {
    let changed = false;
    const mark = function () { changed = true; };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", function () { changed = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!changed) return;
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to ask
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("article_form");
    if (!form) return;
    watch(form);
    keep(form);
  });
})();
