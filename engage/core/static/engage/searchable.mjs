// Long lists made searchable with accessible-autocomplete (docs/adr/0045), loaded by
// init.mjs only on pages that have one.
//
// <select data-searchable="one"> becomes a box to type in and choose one from.
// <select multiple data-searchable="many"> becomes a box to add from, one at a time,
// with what is chosen listed beneath it, each with its own "Remove <name>" button.
//
// Either way the select stays in the form, hidden from view and from assistive
// technology, and is kept in step with what the page shows, so the form posts exactly
// what it posts without script. The box takes the select's id, so its <label> and the
// error summary's link lead to it.
import "../vendor/accessible-autocomplete/accessible-autocomplete.min.js";
import { matcher, rank } from "./text-match.mjs";

// The library's build is a UMD bundle: imported as a module, it sets this global.
const { accessibleAutocomplete } = self;

const NO_MATCH = "Nothing matches what you typed";

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

// The options the select offers, as {value, text}, leaving out a "nothing chosen" option.
function choicesOf(select) {
  return [...select.options].filter((o) => o.value !== "").map((o) => ({ value: o.value, text: o.text.trim() }));
}

// The library shows a suggestion as HTML: the names are escaped (they are people's
// words), and a suggestion may be the plain string of a default value.
const templates = {
  inputValue: (choice) => (typeof choice === "string" ? choice : (choice?.text ?? "")),
  suggestion: (choice) => escapeHtml(typeof choice === "string" ? choice : (choice?.text ?? "")),
};

function search(choices, left = () => true) {
  return (query, show) => {
    const matches = matcher(query);
    const found = choices.filter((choice) => left(choice) && (!matches || matches(choice.text)));
    found.sort((a, b) => rank(query, a.text) - rank(query, b.text));
    show(found);
  };
}

// Takes the select out of sight and out of the accessibility tree, and out of the tab
// order, leaving it in the form; its id goes to the box that replaces it.
function hide(select) {
  select.style.display = "none";
  select.hidden = true;
  select.setAttribute("aria-hidden", "true");
  select.tabIndex = -1;
  const id = select.id;
  select.id = `${id}-select`;
  return id;
}

// The library writes the box's aria-describedby itself (its own instructions, while
// the box is empty), so the field's hint and error message are put back each time it does.
function keepDescribed(input, ids) {
  if (ids.length === 0) return;
  const mend = () => {
    const now = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const wanted = [...ids, ...now.filter((id) => !ids.includes(id))].join(" ");
    if (input.getAttribute("aria-describedby") !== wanted) input.setAttribute("aria-describedby", wanted);
  };
  mend();
  new MutationObserver(mend).observe(input, { attributes: true, attributeFilter: ["aria-describedby"] });
}

function describedBy(select) {
  const ids = (select.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  for (const id of ids) {
    const hint = document.getElementById(id);
    if (hint?.dataset.searchableHint) hint.textContent = hint.dataset.searchableHint;
  }
  return ids;
}

function start(select, id, options) {
  const wrapper = document.createElement("div");
  wrapper.className = "engage-searchable";
  select.before(wrapper);
  accessibleAutocomplete({
    element: wrapper,
    id,
    name: "",
    templates,
    displayMenu: "overlay",
    tNoResults: () => NO_MATCH,
    tStatusNoResults: () => NO_MATCH,
    // The red border of a field with a problem (the library rewrites the box's classes).
    inputClasses: select.closest(".nhsuk-form-group--error") ? "engage-searchable--error" : null,
    ...options,
  });
  return wrapper.querySelector("input");
}

function enhanceOne(select) {
  const choices = choicesOf(select);
  const ids = describedBy(select);
  // Only an option the page marked as chosen is shown as chosen: otherwise the box
  // starts empty and nothing is posted until a person chooses (the browser's own first
  // option, which a person may not have noticed, is not taken for a choice).
  const preset = [...select.options].find((o) => o.defaultSelected && o.value !== "");
  if (!preset) select.selectedIndex = -1;
  const id = hide(select);
  const input = start(select, id, {
    source: search(choices),
    defaultValue: preset ? preset.text.trim() : "",
    // Not the library's "autoselect": the first match would be taken on leaving the box,
    // and the grey copy of the box it draws to show it is an input without a label.
    onConfirm: (choice) => {
      if (choice && typeof choice !== "string") select.value = choice.value;
    },
  });
  // What is posted is what the box shows: once its text no longer names the chosen
  // option, nothing is chosen.
  input.addEventListener("input", () => {
    const chosen = select.selectedOptions[0];
    if (chosen && input.value.trim() !== chosen.text.trim()) select.selectedIndex = -1;
  });
  keepDescribed(input, ids);
}

function enhanceMany(select) {
  const choices = choicesOf(select);
  const ids = describedBy(select);
  const optionOf = new Map([...select.options].map((o) => [o.value, o]));
  const id = hide(select);

  const chosenHeading = document.createElement("p");
  chosenHeading.className = "nhsuk-body-s nhsuk-u-margin-top-3 nhsuk-u-margin-bottom-1";
  chosenHeading.id = `${id}-chosen-heading`;
  const list = document.createElement("ul");
  list.className = "nhsuk-list engage-chosen";
  list.setAttribute("aria-labelledby", chosenHeading.id);
  const news = document.createElement("p");
  news.className = "nhsuk-u-visually-hidden";
  news.setAttribute("role", "status");
  select.after(chosenHeading, list, news);

  const count = () => list.children.length;
  const heading = () => {
    chosenHeading.textContent = count() ? `Chosen (${count()}):` : "None chosen yet.";
    list.hidden = count() === 0;
  };
  const say = (text) => {
    news.textContent = `${text} ${count()} chosen.`;
  };

  let input;
  const remove = (item) => {
    const option = optionOf.get(item.dataset.value);
    option.selected = false;
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    heading();
    say(`${option.text.trim()} removed.`);
    (next ? next.querySelector("button") : input).focus();
  };
  const add = (value) => {
    const option = optionOf.get(value);
    option.selected = true;
    const item = document.createElement("li");
    item.className = "engage-chosen__item";
    item.dataset.value = value;
    const name = document.createElement("span");
    name.textContent = option.text.trim();
    const button = document.createElement("button");
    button.type = "button";
    button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small engage-chosen__remove";
    button.append("Remove");
    const whose = document.createElement("span");
    whose.className = "nhsuk-u-visually-hidden";
    whose.textContent = ` ${option.text.trim()}`;
    button.append(whose);
    button.addEventListener("click", () => remove(item));
    item.append(name, button);
    list.append(item);
    heading();
  };
  for (const option of [...select.selectedOptions]) add(option.value);
  heading();

  input = start(select, id, {
    source: search(choices, (choice) => !optionOf.get(choice.value).selected),
    // Leaving the box does not add whatever was highlighted: only choosing adds.
    confirmOnBlur: false,
    onConfirm: (choice) => {
      if (!choice || typeof choice === "string" || optionOf.get(choice.value).selected) return;
      add(choice.value);
      say(`${choice.text} added.`);
      // Empty the box for the next, through the library's own handling of typing.
      setTimeout(() => {
        input.value = "";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
    },
  });
  keepDescribed(input, ids);
}

for (const select of document.querySelectorAll("select[data-searchable]")) {
  if (select.multiple) enhanceMany(select);
  else enhanceOne(select);
}
