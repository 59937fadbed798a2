// Starts NHS.UK frontend's components (header menu, error summary focus, and so on).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();

// A <details data-open-on-phone> starts open on a narrow screen, where what it holds
// (the timeline's list) reads better than what follows it (a chart to scroll sideways).
if (window.matchMedia("(max-width: 48.0525em)").matches) {
  for (const details of document.querySelectorAll("details[data-open-on-phone]")) details.open = true;
}

// Long lists made searchable, and grouped checkboxes narrowed by typing: each script is
// fetched only by the pages that have such a list.
if (document.querySelector("select[data-searchable]")) import("./searchable.mjs");
if (document.querySelector("[data-filter-checkboxes]")) import("./checkbox-filter.mjs");

// A search box with data-filter-table="ID" hides the rows of that table's body whose
// text does not hold what was typed: for long tables such as every ward's figures.
for (const input of document.querySelectorAll("input[data-filter-table]")) {
  const table = document.getElementById(input.dataset.filterTable);
  if (!table) continue;
  input.addEventListener("input", () => {
    const wanted = input.value.trim().toLocaleLowerCase("en-GB");
    for (const row of table.tBodies[0]?.rows ?? []) {
      row.hidden = wanted !== "" && !row.textContent.toLocaleLowerCase("en-GB").includes(wanted);
    }
  });
}
