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

  // The form's select carries the presets; the grid's table carries them once for all rows.
  function presetsOf(select) {
    var holder = select.closest("[data-relation-presets]");
    return holder ? JSON.parse(holder.dataset.relationPresets) : null;
  }

  // The grid offers phrases as a list of options per role: follow the chosen one.
  function switchPhraseLists(form, role) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.dataset.phraseList) {
        field.setAttribute("list", "phrases-" + field.dataset.phraseList + "-" + (role || "any"));
      }
    });
  }

  function fillPreset(select) {
    var presets = presetsOf(select);
    var values = presets && presets[select.value];
    var form = select.form;
    if (!values || !form) return;
    switchPhraseLists(form, values.role);
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

  // Show the suggested phrases that fit the chosen role (and those for any role).
  function showPhrasesFor(form) {
    var role = form.elements.role ? form.elements.role.value : "";
    form.querySelectorAll("[data-phrase-role]").forEach(function (item) {
      var fits = item.dataset.phraseRole === "" || item.dataset.phraseRole === role;
      item.hidden = !fits;
    });
  }

  // A suggested phrase is appended to its answer, where the user makes it specific.
  function appendPhrase(button) {
    var list = button.closest("[data-phrases-for]");
    var box = list && document.getElementById(list.dataset.phrasesFor);
    if (!box) return;
    var current = box.value.replace(/\s+$/, "");
    box.value = (current ? current + " " : "") + button.dataset.appendPhrase;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  // Delegated, so forms swapped in by htmx are covered too.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches || !field.form) return;
    if (field.name === "relation" && field.closest("[data-relation-presets]")) {
      fillPreset(field);
      showPhrasesFor(field.form);
    } else if (field.name === "role") {
      showPhrasesFor(field.form);
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-append-phrase]");
    if (button) appendPhrase(button);
  });
})();
