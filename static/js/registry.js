// The citizen registry's small progressive enhancements. Every page works without them.
(function () {
  "use strict";

  // Intake: "Add another person" adds an empty person in place, without a round trip.
  // Without JavaScript the same button submits the form and the server adds the person.
  var button = document.querySelector("[data-add-member]");
  var template = document.getElementById("member-template");
  var list = document.getElementById("members");
  var total = document.getElementById("id_members-TOTAL_FORMS");
  var max = document.getElementById("id_members-MAX_NUM_FORMS");
  if (button && template && list && total) {
    button.addEventListener("click", function (event) {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) {
        return; // let the server say the household is too large
      }
      event.preventDefault();
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var heading = list.lastElementChild.querySelector("h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus(); // a screen reader announces the new person
      }
    });
  }

  // Forms whose buttons each mean something (the contact log's outcomes): Enter on a
  // radio button would press the first of them, so it only picks the radio instead.
  document.querySelectorAll("form[data-buttons-only]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Enter" && target.tagName === "INPUT" && target.type === "radio") {
        event.preventDefault();
        target.checked = true;
      }
    });
  });
})();
