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
  const save = form.querySelector('button[name="save"]');
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type === "search") return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter") {
      // A browser submits a form on Enter only from a text box, and this form has none
      // (the search box keeps its Enter, above): so Enter with nothing focused, or on a
      // sentiment or a category, would do nothing. It saves, as the button says. On a
      // button or a link, Enter presses that (Skip, a menu link) as it always does.
      if (event.isComposing || event.shiftKey || target.closest?.("a, button, select, textarea, summary")) return;
      event.preventDefault();
      form.requestSubmit(save);
      return;
    }
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
