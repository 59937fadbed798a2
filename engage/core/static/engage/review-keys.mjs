// Keyboard labelling on the review page: 1, 2, 3 choose the sentiment, / finds a
// category, S skips, Enter saves. Keys typed into the search box stay in it.
const form = document.getElementById("review-form");
if (form) {
  const filter = document.getElementById("category-filter");
  const items = [...form.querySelectorAll("[data-name]")];
  const groups = [...form.querySelectorAll("[data-group]")];
  filter?.addEventListener("input", () => {
    const wanted = filter.value.trim().toLowerCase();
    for (const item of items) item.hidden = wanted !== "" && !item.dataset.name.includes(wanted);
    for (const group of groups) group.hidden = [...group.querySelectorAll("[data-name]")].every((i) => i.hidden);
  });
  filter?.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      // Enter in the search box ticks the only category left, rather than saving.
      event.preventDefault();
      const visible = items.filter((item) => !item.hidden);
      if (visible.length === 1) visible[0].querySelector("input").click();
    }
  });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type === "search") return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const radio = form.querySelector(`input[name="sentiment"][data-key="${event.key}"]`);
    if (radio) {
      radio.checked = true;
      event.preventDefault();
    } else if (event.key === "/") {
      filter?.focus();
      event.preventDefault();
    } else if (event.key === "s" || event.key === "S") {
      form.querySelector('button[name="skip"]').click();
    }
  });
}
