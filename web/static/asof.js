// The "as it stood at" slider: shows which fresh page it points at while it moves and
// loads that page's reconstruction when it is let go. Without scripts the form's
// button does the same.
"use strict";
(function () {
  const slider = document.getElementById("snapshot-slider");
  const label = document.getElementById("snapshot-label");
  if (!slider || !label) {
    return;
  }
  const count = Number(slider.dataset.count);
  slider.addEventListener("input", function () {
    label.textContent = "page " + (Number(slider.value) + 1) + " of " + count;
  });
  slider.addEventListener("change", function () {
    slider.form.submit();
  });
})();
