// The landscape grid: keyboard first, row by row. Each row is its own form
// (its cells point at it with the `form` attribute) and still saves as a plain
// POST without this file. With it: Enter saves the row and moves down (on the
// last row, to a new one), leaving a changed row saves it, rows pasted from a
// spreadsheet fill the grid, and the server's answer (the row, saved or with
// its errors and what was typed) replaces the row in place.
(function () {
  "use strict";

  var table = document.getElementById("landscape-grid");
  if (!table || !table.dataset.gridColumns) return;
  var body = table.tBodies[0];
  var columns = JSON.parse(table.dataset.gridColumns);
  var template = document.getElementById("grid-new-row");
  var status = document.querySelector("[data-grid-status]");
  var addButton = document.querySelector("[data-grid-add]");
  var nextNumber = 1;
  var FIELDS = "input:not([type=hidden]), select";

  function rows() {
    return Array.prototype.slice.call(body.rows);
  }

  rows().forEach(function (row) {
    nextNumber = Math.max(nextNumber, Number(row.dataset.gridRow) + 1);
  });

  function rowOf(element) {
    return element && element.closest ? element.closest("tr[data-grid-row]") : null;
  }

  function formOf(row) {
    return row.querySelector("form[data-grid-form]");
  }

  function fieldOf(row, name) {
    return row.querySelector('[name="' + name + '"]');
  }

  function announce(text) {
    if (status && text) status.textContent = text;
  }

  function addRow(focus) {
    var html = template.innerHTML.replace(/__row__/g, String(nextNumber));
    nextNumber += 1;
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    body.appendChild(row);
    if (focus) fieldOf(row, columns[0]).focus();
    return row;
  }

  // A row nobody typed in is not saved: the blank row at the end stays blank.
  function untouched(row) {
    return !row.gridDirty;
  }

  function markDirty(row) {
    row.gridDirty = true;
  }

  // What the row's cells hold, to tell whether anything was typed while it was being saved
  // (a change event fired on leaving a cell is no edit).
  function valuesOf(row) {
    return Array.prototype.map
      .call(row.querySelectorAll(FIELDS), function (field) {
        return field.name + "=" + field.value;
      })
      .join("\n");
  }

  // The fresh row from the server takes the place of the old one; whatever was
  // typed into the old one while it was being saved is kept and saved next.
  function replaceRow(row, fresh, edited) {
    var active = document.activeElement;
    var focusName = row.contains(active) ? active.getAttribute("name") || "save" : null;
    var caret = focusName && typeof active.selectionStart === "number" ? active.selectionStart : null;
    if (edited) {
      row.querySelectorAll(FIELDS).forEach(function (field) {
        var twin = fieldOf(fresh, field.name);
        if (twin) twin.value = field.value;
      });
      fresh.gridDirty = true;
    }
    row.replaceWith(fresh);
    if (focusName) {
      var target =
        focusName === "save" ? fresh.querySelector("button[type=submit]") : fieldOf(fresh, focusName);
      if (target) {
        target.focus();
        if (caret !== null && target.setSelectionRange) target.setSelectionRange(caret, caret);
      }
    }
  }

  // Save a row; resolves to the row now in the table (the fresh one once saved).
  function save(row, force) {
    // A save in flight is saved again when it answers, if anything was typed meanwhile.
    if (row.gridSaving) return row.gridSaving;
    if (!force && untouched(row)) return Promise.resolve(row);
    var form = formOf(row);
    row.gridDirty = false;
    row.gridSent = valuesOf(row);
    row.setAttribute("aria-busy", "true");
    row.gridSaving = fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Grid-Row": "true" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("tbody");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        var wasLast = row === body.lastElementChild;
        // Saved again only if something was typed meanwhile.
        var again = valuesOf(row) !== row.gridSent;
        replaceRow(row, fresh, again);
        announce(fresh.dataset.message);
        // Keep a blank row at the end to type the next stakeholder into.
        if (wasLast && fresh.dataset.state === "saved") addRow(false);
        return again ? save(fresh, false) : fresh;
      })
      .catch(function () {
        row.removeAttribute("aria-busy");
        row.gridSaving = null;
        row.gridDirty = true;
        announce(
          "Row " + row.dataset.gridRow + " not saved: the server did not answer. " +
            "What you typed is kept; press Enter in the row to try again.",
        );
        return row;
      });
    return row.gridSaving;
  }

  // To the same column of the row below; from the last row, to the name of a new one.
  function moveDown(row, name) {
    var below = row.nextElementSibling;
    if (!below) {
      below = addRow(false);
      name = columns[0];
    }
    fieldOf(below, name).focus();
  }

  // Enter in a cell saves its row and moves down.
  table.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !field.matches(FIELDS) || event.isComposing) return;
    var row = rowOf(field);
    if (!row) return;
    event.preventDefault();
    if (row.hasAttribute("data-new") && untouched(row)) {
      announce("Row " + row.dataset.gridRow + " is empty: type a name first.");
      return;
    }
    var name = field.name;
    save(row, true);
    moveDown(row, name);
  });

  // The row's Save button (or Enter on it): save and stay.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-grid-form]")) return;
    event.preventDefault();
    var row = rowOf(form);
    if (row) save(row, true);
  });

  table.addEventListener("input", function (event) {
    var row = rowOf(event.target);
    if (row) markDirty(row);
  });
  table.addEventListener("change", function (event) {
    var row = rowOf(event.target);
    if (row) markDirty(row);
  });

  // Leaving a changed row saves it.
  table.addEventListener("focusout", function (event) {
    var row = rowOf(event.target);
    if (!row || (event.relatedTarget && row.contains(event.relatedTarget))) return;
    if (row.gridDirty) save(row, false);
  });

  // A CRM's buying role ("Decision Maker", "Business User") pasted as a relation:
  // the preset the contact-role imports give it.
  var relationAliases = JSON.parse(table.dataset.relationAliases || "{}");

  function relationAlias(select, text) {
    if (!/relation$/.test(select.name)) return "";
    var code = text.trim().toLowerCase().replace(/[\s\-_./]+/g, "_").replace(/^_+|_+$/g, "");
    return relationAliases[code] || "";
  }

  // A select takes a pasted value by its code, its label, the number its label
  // starts with, or (the relation) a CRM buying role.
  function setSelect(select, text) {
    var wanted = relationAlias(select, text) || text.trim().toLowerCase();
    var options = Array.prototype.slice.call(select.options);
    var match =
      options.find(function (option) {
        return option.value.toLowerCase() === wanted || option.text.toLowerCase() === wanted;
      }) ||
      options.find(function (option) {
        return wanted && option.value && option.text.toLowerCase().indexOf(wanted) === 0;
      });
    select.value = match ? match.value : "";
    // Bubbles to the landscape script: a relation fills its typical values.
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setCell(row, name, text) {
    var field = fieldOf(row, name);
    if (!field) return;
    if (field.tagName === "SELECT") {
      setSelect(field, text);
    } else {
      field.value = text.trim();
    }
  }

  // The row a pasted line goes to after `row`. Names pasted over several rows
  // are new stakeholders: they never rename the stored ones below, but fill
  // new rows. Other columns fill downwards, as in a spreadsheet.
  function below(row, names) {
    var next = row.nextElementSibling;
    while (names && next && !next.hasAttribute("data-new")) next = next.nextElementSibling;
    return next || addRow(false);
  }

  // Rows copied from a spreadsheet arrive as lines of tab-separated cells.
  table.addEventListener("paste", function (event) {
    var field = event.target;
    var row = rowOf(field);
    var text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (!row || !field.name || !/[\t\n]/.test(text.replace(/\s+$/, ""))) return;
    event.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    var start = columns.indexOf(field.name);
    // A header row copied along with the data is left out.
    if (start === 0 && lines.length > 1 && lines[0].split("\t")[0].trim().toLowerCase() === "name") {
      lines.shift();
    }
    var pasted = [];
    lines.forEach(function (line, index) {
      var target = index === 0 ? row : below(row, start === 0);
      line.split("\t").forEach(function (cell, offset) {
        var name = columns[start + offset];
        if (name) setCell(target, name, cell);
      });
      markDirty(target);
      pasted.push(target);
      row = target;
    });
    announce(pasted.length + " rows pasted; saving them.");
    // One after the other, each through the same save as a typed row.
    pasted.reduce(function (previous, target) {
      return previous.then(function () {
        return save(target, true);
      });
    }, Promise.resolve());
  });

  if (addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      addRow(true);
    });
  }
})();
