// A box that narrows a long set of grouped checkboxes (the areas: the whole place, then
// each locality and its wards) to those whose names hold every word typed. A group
// whose own name matches (a locality) shows all its boxes. The box is in the page
// hidden, and shown here: without script it could do nothing. Boxes it hides keep
// their ticks and are posted as ever.
import { matcher } from "./text-match.mjs";

for (const filter of document.querySelectorAll("[data-filter-checkboxes]")) {
  const choices = document.getElementById(filter.dataset.filterCheckboxes);
  const input = filter.querySelector("input");
  const count = filter.querySelector("[role=status]");
  if (!choices || !input) continue;
  const groups = [...choices.querySelectorAll("[data-filter-group]")];
  const total = choices.querySelectorAll(".nhsuk-checkboxes__item").length;
  filter.hidden = false;
  // Enter in the box would send the whole form: here it only narrows.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  input.addEventListener("input", () => {
    const matches = matcher(input.value);
    let shown = 0;
    for (const group of groups) {
      const legend = group.querySelector(":scope > legend");
      const wholeGroup = !matches || (legend !== null && matches(legend.textContent));
      let any = false;
      for (const item of group.querySelectorAll(".nhsuk-checkboxes__item")) {
        const show = wholeGroup || matches(item.textContent);
        item.hidden = !show;
        if (show) {
          any = true;
          shown += 1;
        }
      }
      group.hidden = !any;
    }
    count.textContent = !matches ? "" : shown === 0 ? "None match what you typed." : `Showing ${shown} of ${total}.`;
  });
}
