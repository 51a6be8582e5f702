// The portal without a round trip: choosing a right on the first step shows that right's form
// (already on the page, hidden) in place. Without JavaScript the "Continue" button asks the
// server for it instead; nothing here is needed for the portal to work.
(function () {
  "use strict";
  function show(right) {
    var sections = document.querySelectorAll("section.right-form[data-right]");
    for (var i = 0; i < sections.length; i++) {
      sections[i].hidden = sections[i].getAttribute("data-right") !== right;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var chooser = document.getElementById("choose-right");
    if (!chooser) {
      return;
    }
    var proceed = document.getElementById("choose-continue");
    if (proceed) {
      proceed.hidden = true;
    }
    chooser.addEventListener("change", function (event) {
      var target = event.target;
      if (target && target.name === "right") {
        show(target.value);
      }
    });
    var checked = chooser.querySelector("input[name=right]:checked");
    if (checked) {
      show(checked.value);
    }
  });
})();
