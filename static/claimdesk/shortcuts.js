// "?" opens a list of every keyboard shortcut (Escape closes it), on every page, unless
// the user is typing. The list is built here, in one place, from what the pages' scripts
// handle (reader.js, reader_suggestions.js, find.js, review.js).

const SHORTCUTS = [
  ["Everywhere", [["?", "Show this list"], ["Tab", "The first stop skips to the content"]]],
  [
    "Reading an article",
    [
      ["Shift + arrows", "Select a passage in the focused text"],
      ["N", "New claim from the selected passage"],
      ["C / S", "In the claim form: mark the selected words as the cue / the source mention"],
      ["J / K", "Next / previous claim"],
      ["S", "Show or hide suggested claims"],
      ["G / Shift + G", "Next / previous suggested claim"],
      ["A", "Accept the suggested claim: the claim form opens filled in"],
      ["D", "Dismiss the suggested claim"],
      ["Enter / Shift + Enter", "Next / previous match in Find in the article"],
      ["Esc", "Close the claim panel or the popover"],
    ],
  ],
  [
    "Review queue",
    [
      ["J / K", "Next / previous claim"],
      ["A", "Approve"],
      ["R", "Reject"],
      ["C", "Request changes"],
    ],
  ],
];

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

function build() {
  const dialog = document.createElement("dialog");
  dialog.id = "shortcuts-dialog";
  dialog.className = "shortcuts-dialog";
  dialog.setAttribute("aria-labelledby", "shortcuts-title");
  const title = document.createElement("h2");
  title.id = "shortcuts-title";
  title.textContent = "Keyboard shortcuts";
  dialog.append(title);
  for (const [section, keys] of SHORTCUTS) {
    const heading = document.createElement("h3");
    heading.textContent = section;
    const list = document.createElement("dl");
    for (const [key, what] of keys) {
      const term = document.createElement("dt");
      const kbd = document.createElement("kbd");
      kbd.textContent = key;
      term.append(kbd);
      const description = document.createElement("dd");
      description.textContent = what;
      list.append(term, description);
    }
    dialog.append(heading, list);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Close";
  close.addEventListener("click", () => dialog.close());
  dialog.append(close);
  document.body.append(dialog);
  return dialog;
}

let dialog = null;
export function openShortcuts() {
  dialog = dialog || build();
  if (!dialog.open) dialog.showModal();
}

document.addEventListener("keydown", (event) => {
  if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target) || document.querySelector("dialog[open]")) return;
  event.preventDefault();
  openShortcuts();
});
document.querySelectorAll("[data-shortcuts]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", openShortcuts);
});
