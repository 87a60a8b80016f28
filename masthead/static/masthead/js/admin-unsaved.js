// The story's change page: leaving it with unsaved changes asks first, as WordPress does.
// Any typing or choice in the form (the body editor included: its edits bubble up as
// "input" events) marks it changed; saving it clears the mark.
(function () {
  "use strict";
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
    if (form) watch(form);
  });
})();
