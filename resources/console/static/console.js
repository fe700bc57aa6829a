// The console works without JavaScript; this file only adds small comforts. No inline
// script is allowed (Content-Security-Policy), so behaviour hangs on data- attributes.
"use strict";
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  // A filter form's selects apply at once; the button stays for keyboards and no-JS.
  var select = event.target.closest("form[data-autosubmit] select");
  if (select) { select.form.requestSubmit(); }
});
document.addEventListener("click", function (event) {
  // "Select all" in a table of checkboxes.
  var all = event.target.closest("input[data-select-all]");
  if (!all) { return; }
  document.querySelectorAll("input[name='" + all.getAttribute("data-select-all") + "']")
    .forEach(function (box) { box.checked = all.checked; });
});
