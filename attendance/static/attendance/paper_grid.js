// Paper entry: one key per status, then on to the next row; arrows move between rows.
// Progressive enhancement: without this script the cells are plain text inputs that take the same letters.
(function () {
  "use strict";
  var grid = document.querySelector("[data-paper-grid]");
  if (!grid) { return; }
  var cells = Array.prototype.slice.call(grid.querySelectorAll(".paper-key"));
  // By physical key (event.code), so a Russian or Tajik keyboard layout types the same statuses.
  var keys = { KeyP: "p", KeyL: "l", KeyE: "e", KeyX: "x", KeyA: "a" };
  function move(index, step) {
    var next = cells[index + step];
    if (next) { next.focus(); next.select(); }
  }
  cells.forEach(function (cell, index) {
    cell.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (keys[event.code]) {
        event.preventDefault();
        cell.value = keys[event.code];
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
