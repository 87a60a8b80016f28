// Masthead reader enhancements. Everything works without this file; it only adds
// the browser's own share sheet (Web Share API) and a copy-link button.
(function () {
  "use strict";

  function setupShare(section) {
    var url = section.getAttribute("data-share-url");
    var title = section.getAttribute("data-share-title");
    var status = section.querySelector(".share__status");

    var native = section.querySelector(".share__native");
    if (native && navigator.share) {
      native.hidden = false;
      native.querySelector("button").addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {});
      });
    }

    var copy = section.querySelector("[data-copy-link]");
    if (copy) {
      copy.closest(".share__copy").hidden = false;
      copy.addEventListener("click", function () {
        var done = function () { if (status) status.textContent = "Link copied."; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(done, function () {
            window.prompt("Copy this link:", url);
          });
        } else {
          window.prompt("Copy this link:", url);
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-share-url]").forEach(setupShare);
  });
})();
