// Behaviour that used to be inline (onchange / onclick / onsubmit), so the Content-Security-Policy can forbid
// inline script. Loaded by base.html with defer.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var base = form.getAttribute && form.getAttribute("data-compare-base");
    if (base) {
      event.preventDefault();
      window.location.href = base + encodeURIComponent(form.elements.other.value) + "/";
    }
  });
})();
