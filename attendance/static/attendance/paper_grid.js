// Paper entry: one key per status, then on to the next row; arrows move between rows.
// Progressive enhancement: without this script the cells are plain text inputs that take the same letters.
// The keys follow the interface language (attendance/paper_keys.py, docs/attendance.md); the page
// passes them as JSON: "letters" (typed character → key) and "positions" (KeyboardEvent.code → key).
(function () {
  "use strict";
  var grid = document.querySelector("[data-paper-grid]");
  var data = document.getElementById("paper-keymap");
  if (!grid || !data) { return; }
  var keymap = JSON.parse(data.textContent);
  var cells = Array.prototype.slice.call(grid.querySelectorAll(".paper-key"));
  // The character first, so a Tajik layout's own Ҳ or Ғ works wherever that layout puts it;
  // then the physical key, so a keyboard set to another layout types the same statuses.
  function keyFor(event) {
    var typed = (event.key || "").toLowerCase();
    if (Object.prototype.hasOwnProperty.call(keymap.letters, typed)) { return keymap.letters[typed]; }
    if (Object.prototype.hasOwnProperty.call(keymap.positions, event.code)) { return keymap.positions[event.code]; }
    return null;
  }
  function move(index, step) {
    var next = cells[index + step];
    if (next) { next.focus(); next.select(); }
  }
  cells.forEach(function (cell, index) {
    cell.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var key = keyFor(event);
      if (key) {
        event.preventDefault();
        cell.value = key;
        move(index, 1);
      } else if (event.key === "ArrowDown" || (event.key === "Enter" && cells[index + 1])) {
        event.preventDefault();
        move(index, 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(index, -1);
      }
    });
    cell.addEventListener("focus", function () { cell.select(); });
  });
}());
