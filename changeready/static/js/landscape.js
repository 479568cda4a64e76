// Landscape forms: choosing a relation fills its typical values. Without this
// file the form still works; the user sets each value by hand.
(function () {
  "use strict";

  var WORDS = {
    influence: "influence",
    interest: "interest",
    impact: "impact",
    desired_engagement: "desired engagement",
  };

  function setField(form, name, value) {
    var field = form.elements[name];
    if (!field) return;
    if (field.type === "checkbox") {
      field.checked = Boolean(value);
    } else {
      // A select, or a group of radio buttons (a RadioNodeList takes .value).
      field.value = String(value);
    }
  }

  function fillPreset(select) {
    var presets = JSON.parse(select.dataset.relationPresets);
    var values = presets[select.value];
    var form = select.form;
    if (!values || !form) return;
    Object.keys(values).forEach(function (name) {
      // Opposition is a fact about the person: a preset adds it, never clears it.
      if (name === "opposed_purchase" && !values[name]) return;
      setField(form, name, values[name]);
    });
    var status = form.querySelector("[data-relation-status]");
    if (status) {
      status.textContent =
        "Filled in: " +
        Object.keys(WORDS)
          .map(function (name) {
            return WORDS[name] + " " + String(values[name]).replace("_", " ");
          })
          .join(", ") +
        ". Change any of them below.";
    }
  }

  // Delegated, so forms swapped in by htmx are covered too.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-relation-presets]")) {
      fillPreset(select);
    }
  });
})();
