// The article reader: map a selection to code-point offsets, open the claim form beside
// the text, and move between highlights and the list of claims.
//
// The server renders the text as runs, `<span class="run" data-start data-end>`, each
// holding one text node (inside the claims' <mark>s). A selection boundary in a run's
// text node is the run's start plus the code points before it; a boundary anywhere else
// (between paragraphs, on a claim number) snaps to the nearest run edge. Nothing the
// markup adds is ever counted.
import { codePoints, collapsedAt, selectedOffsets, utf16Offset } from "./offsets.js";
import { initClaimForm } from "./pickers.js";
import { initMarkedSpans } from "./marked_spans.js";
import { initSuggestions } from "./reader_suggestions.js";

const textEl = document.getElementById("reader-text");
const layout = document.getElementById("reader");
const readerData = JSON.parse(document.getElementById("reader-data").textContent);
const points = codePoints(JSON.parse(document.getElementById("article-text").textContent));
const runs = textEl ? [...textEl.querySelectorAll(".run")] : [];
const claims = new Map(readerData.claims.map((claim) => [String(claim.id), claim]));
const placedOrder = readerData.claims.filter((claim) => claim.placed).map((claim) => String(claim.id));
const panel = document.getElementById("claim-panel");
const form = document.getElementById("claim-form");
const floatButton = document.getElementById("new-claim-button");
const popover = document.getElementById("claim-popover");
const list = document.getElementById("claim-list");
const scrollBehavior = matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";

// -- offsets -----------------------------------------------------------------------------

const runStart = (run) => Number(run.dataset.start);
const runEnd = (run) => Number(run.dataset.end);

function runTextNode(run) {
  return document.createTreeWalker(run, NodeFilter.SHOW_TEXT).nextNode();
}

/** The current selection in the text as {start, end, exact, range}, or null. */
function selectedPassage() {
  const offsets = selectedOffsets(textEl, runs, points);
  if (!offsets) return null;
  const [start, end] = offsets;
  return { start, end, exact: points.slice(start, end).join(""), range: rangeFor(start, end) };
}

/** A DOM range over code points [start, end) of the text. */
function rangeFor(start, end) {
  if (!runs.length) return null;
  // First run ending after `start`; last run starting before `end`.
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runEnd(runs[mid]) > start) hi = mid;
    else lo = mid + 1;
  }
  const first = runs[lo];
  lo = 0;
  hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runStart(runs[mid]) < end) lo = mid;
    else hi = mid - 1;
  }
  const last = runs[lo];
  const startNode = runTextNode(first);
  const endNode = runTextNode(last);
  const range = document.createRange();
  range.setStart(startNode, utf16Offset(startNode.data, Math.max(0, start - runStart(first))));
  range.setEnd(endNode, utf16Offset(endNode.data, Math.max(0, end - runStart(last))));
  return range;
}

// -- the passage being annotated ---------------------------------------------------------

function showPending(range) {
  if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
  if (range) CSS.highlights.set("claim-pending", new Highlight(range));
  else CSS.highlights.delete("claim-pending");
}

let passage = null;
let dragging = false;
let frame = 0;

function placeFloatButton() {
  frame = 0;
  if (!floatButton) return;
  passage = dragging ? null : selectedPassage();
  if (!passage) {
    floatButton.hidden = true;
    return;
  }
  const selection = document.getSelection();
  const backwards =
    selection.anchorNode &&
    selection.focusNode &&
    collapsedAt(selection.focusNode, selection.focusOffset).comparePoint(
      selection.anchorNode,
      selection.anchorOffset,
    ) > 0;
  const rects = [...passage.range.getClientRects()].filter((r) => r.width || r.height);
  const rect = rects.length
    ? rects[backwards ? 0 : rects.length - 1]
    : passage.range.getBoundingClientRect();
  floatButton.querySelector(".label").textContent = panel.hidden ? "New claim" : "Use this passage";
  floatButton.hidden = false;
  const width = floatButton.offsetWidth;
  const x = (backwards ? rect.left : rect.right) - width / 2;
  const left = Math.min(Math.max(8, x), document.documentElement.clientWidth - width - 8);
  floatButton.style.left = `${left + window.scrollX}px`;
  floatButton.style.top = `${rect.bottom + window.scrollY + 8}px`;
}

function schedule() {
  if (!frame) frame = requestAnimationFrame(placeFloatButton);
}

const claimForm = form ? initClaimForm(form) : null;

// -- cue and source mention ----------------------------------------------------------------
// Marked with CSS highlights (no markup in the text, so offsets stay as they are), each in
// its own underline style, and named in words in the form, the claim list and the card.

function highlightSpan(key, start, end) {
  if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
  if (start === null || start === undefined || !(end > start) || end > points.length) {
    CSS.highlights.delete(key);
    return;
  }
  const range = rangeFor(start, end);
  if (range) CSS.highlights.set(key, new Highlight(range));
}

const highlightName = (name) => (name === "cue" ? "span-cue" : "span-source");

const markedSpans = form
  ? initMarkedSpans(form, {
      selection: selectedPassage,
      show: (name, start, end) => highlightSpan(`pending-${highlightName(name)}`, start, end),
    })
  : null;

// A script that fills the hidden offsets itself (an accepted suggestion) sends this event
// to have the words shown and marked.
form?.addEventListener("marked-spans:refresh", () =>
  markedSpans.refresh((a, b) => points.slice(a, b).join("")),
);

/** Mark the active claim's cue and source mention in the text (or unmark them). */
function showClaimSpans(claim) {
  for (const name of ["cue", "source_mention"]) {
    const span = claim ? claim[name] : null;
    highlightSpan(highlightName(name), span ? span[0] : null, span ? span[1] : null);
  }
}

function openPanel(chosen, { suggestion = "" } = {}) {
  if (!panel || !chosen) return;
  // A form filled from a suggestion names it; a passage chosen by hand names none.
  if (form.elements.suggestion) form.elements.suggestion.value = suggestion;
  form.elements.start.value = String(chosen.start);
  form.elements.end.value = String(chosen.end);
  form.elements.exact.value = chosen.exact;
  const quote = document.getElementById("claim-quote");
  quote.textContent = chosen.exact;
  panel.querySelectorAll(".quote-field .field-error").forEach((node) => node.remove());
  panel.querySelector(".quote-field").classList.remove("has-error");
  // A new claim starts with no cue or source mention; a passage chosen again keeps them.
  if (panel.hidden) markedSpans?.clear();
  panel.hidden = false;
  document.body.classList.add("panel-open");
  showPending(chosen.range);
  document.getSelection().removeAllRanges();
  floatButton.hidden = true;
  hidePopover();
  claimForm.loadSuggestions(chosen.start, chosen.end);
  form.elements.statement.focus({ preventScroll: true });
  panel.scrollTop = 0;
  keepInView(chosen.range);
}

/** Scroll so the passage stays visible beside the panel, or above it as a bottom sheet. */
function keepInView(range) {
  if (!range) return;
  const rect = range.getBoundingClientRect();
  const sheetTop = panel.getBoundingClientRect().top;
  const bottom = sheetTop > 0 ? sheetTop : window.innerHeight;
  if (rect.top >= 8 && rect.bottom <= bottom - 8) return;
  const room = Math.max(0, bottom - rect.height);
  window.scrollBy({ top: rect.top - Math.max(8, room / 2), behavior: scrollBehavior });
}

function closePanel() {
  if (!panel || panel.hidden) return;
  panel.hidden = true;
  document.body.classList.remove("panel-open");
  showPending(null);
  highlightSpan("pending-span-cue", null, null);
  highlightSpan("pending-span-source", null, null);
  // Back to the text, with the caret after the passage that was being annotated.
  const start = Number(form.elements.start.value);
  const end = Number(form.elements.end.value);
  if (textEl && form.elements.end.value !== "" && end > start && end <= points.length) {
    const range = rangeFor(start, end);
    document.getSelection().collapse(range.endContainer, range.endOffset);
  }
  textEl?.focus({ preventScroll: true });
}

// -- claims: highlights, list, popover ---------------------------------------------------

// With many claims the page brings the list's first ones only; the rest are fetched once
// the text is shown. If that fails, the "Show the other claims" link stays: it loads the
// page with the whole list.
const listMore = document.getElementById("claim-list-more");
const listComplete = listMore
  ? new Promise((resolve) => {
      const load = () =>
        fetch(listMore.dataset.url, { credentials: "same-origin", headers: { Accept: "text/html" } })
          .then((response) => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))
          .then((html) => {
            listMore.insertAdjacentHTML("beforebegin", html);
            listMore.remove();
          })
          .catch(() => {})
          .finally(resolve);
      (window.requestIdleCallback || ((callback) => setTimeout(callback, 1)))(load, { timeout: 500 });
    })
  : Promise.resolve();

/** Call `then(item)` with the claim's list item, once the list holds it. */
function withListItem(id, then) {
  const item = document.getElementById(`claim-${id}`);
  if (item || !listMore?.isConnected) {
    if (item) then(item);
    return;
  }
  listComplete.then(() => {
    const later = document.getElementById(`claim-${id}`);
    if (later) then(later);
  });
}

let activeId = null;

function activate(id, { scrollText = false, scrollList = false } = {}) {
  id = String(id);
  if (!claims.has(id)) return;
  document.querySelectorAll(".is-active").forEach((node) => node.classList.remove("is-active"));
  const marks = textEl ? textEl.querySelectorAll(`[data-claim="${id}"]`) : [];
  marks.forEach((mark) => mark.classList.add("is-active"));
  activeId = id;
  withListItem(id, (item) => {
    if (activeId !== id) return;
    item.classList.add("is-active");
    if (scrollList) item.scrollIntoView({ block: "nearest", behavior: scrollBehavior });
  });
  showClaimSpans(claims.get(id));
  if (scrollText && marks.length) marks[0].scrollIntoView({ block: "center", behavior: scrollBehavior });
  const url = new URL(window.location.href);
  url.searchParams.set("claim", id);
  url.hash = "";
  history.replaceState(null, "", url);
}

function hidePopover() {
  if (popover) popover.hidden = true;
}

function placePopover(x, y) {
  popover.hidden = false;
  const width = popover.offsetWidth;
  const left = Math.min(Math.max(8, x - width / 2), document.documentElement.clientWidth - width - 8);
  popover.style.left = `${left + window.scrollX}px`;
  popover.style.top = `${y + window.scrollY + 12}px`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function claimSummary(claim, tag = "div") {
  const row = element(tag, "popover-claim");
  row.append(
    element("span", `claim-num st-${claim.status}`, String(claim.number)),
    element("span", `status status-${claim.status}`, claim.status_label),
  );
  const text = element("span", "popover-statement", claim.statement);
  row.append(text);
  return row;
}

function showCard(id, x, y) {
  const claim = claims.get(String(id));
  popover.replaceChildren();
  popover.setAttribute("role", "dialog");
  popover.setAttribute("aria-label", `Claim ${claim.number}`);
  popover.append(claimSummary(claim));
  popover.append(element("p", "popover-meta", `Claimant: ${claim.claimant}`));
  const triple = element("p", "popover-meta claim-triple");
  for (const [name, label] of [["source_mention", "Source"], ["cue", "Cue"]]) {
    if (!claim[name]) continue;
    if (triple.childNodes.length) triple.append(" · ");
    triple.append(element("span", `span-tag span-tag-${name}`, label), " ", element("q", "", claim[name][2]));
  }
  if (triple.childNodes.length) popover.append(triple);
  const actions = element("div", "popover-actions");
  const open = element("a", "button small", "Open claim");
  open.href = claim.url;
  const show = element("button", "small", "Show in list");
  show.type = "button";
  show.addEventListener("click", () => {
    hidePopover();
    activate(claim.id, { scrollList: true });
    withListItem(claim.id, (item) => item.focus({ preventScroll: true }));
  });
  actions.append(open);
  if (claim.edit_url) {
    const edit = element("a", "button small", "Edit");
    edit.href = claim.edit_url;
    actions.append(edit);
  }
  actions.append(show);
  popover.append(actions);
  placePopover(x, y);
}

function showChooser(ids, x, y) {
  popover.replaceChildren();
  popover.setAttribute("role", "dialog");
  popover.setAttribute("aria-label", "Claims on this passage");
  popover.append(element("p", "popover-title", `${ids.length} claims cover this passage:`));
  const options = element("ul", "popover-choices");
  for (const id of ids) {
    const claim = claims.get(id);
    const item = element("li");
    const button = claimSummary(claim, "button");
    button.type = "button";
    button.dataset.claim = id;
    button.addEventListener("click", () => {
      activate(id, { scrollList: true });
      showCard(id, x, y);
    });
    item.append(button);
    options.append(item);
  }
  popover.append(options);
  placePopover(x, y);
  options.querySelector("button")?.focus({ preventScroll: true });
}

function hiddenStatuses() {
  return new Set(
    [...document.querySelectorAll('.legend-item[aria-pressed="false"]')].map((b) => b.dataset.status),
  );
}

function step(direction) {
  const hidden = hiddenStatuses();
  const order = placedOrder.filter((id) => !hidden.has(claims.get(id).status));
  if (!order.length) return;
  const index = order.indexOf(activeId);
  const next = index === -1 ? (direction > 0 ? 0 : order.length - 1) : (index + direction + order.length) % order.length;
  activate(order[next], { scrollText: true, scrollList: true });
}

// -- keyboard selection -------------------------------------------------------------------

const caret = element("span", "fake-caret");
caret.hidden = true;
caret.setAttribute("aria-hidden", "true");
document.body.append(caret);
let pointerAt = 0;
// The drawn caret is for people moving through the text with the keyboard only.
let keyboardMode = false;

function showCaret() {
  const selection = document.getSelection();
  if (
    !keyboardMode ||
    !textEl ||
    document.activeElement !== textEl ||
    !selection.rangeCount ||
    !selection.isCollapsed
  ) {
    caret.hidden = true;
    return;
  }
  const range = selection.getRangeAt(0);
  const rect = range.getClientRects()[0] || range.getBoundingClientRect();
  if (!rect || !rect.height || !textEl.contains(range.startContainer)) {
    caret.hidden = true;
    return;
  }
  caret.hidden = false;
  caret.style.left = `${rect.left + window.scrollX}px`;
  caret.style.top = `${rect.top + window.scrollY}px`;
  caret.style.height = `${rect.height}px`;
}

const MOVES = {
  ArrowLeft: ["backward", "character"],
  ArrowRight: ["forward", "character"],
  ArrowUp: ["backward", "line"],
  ArrowDown: ["forward", "line"],
  Home: ["backward", "lineboundary"],
  End: ["forward", "lineboundary"],
};

if (textEl) {
  textEl.addEventListener("pointerdown", () => {
    pointerAt = Date.now();
    dragging = true;
    keyboardMode = false;
    hidePopover();
  });
  textEl.addEventListener("focus", () => {
    if (Date.now() - pointerAt < 500) return;
    keyboardMode = true;
    const selection = document.getSelection();
    if (!selection.rangeCount || !textEl.contains(selection.anchorNode)) {
      // Keyboard users start with a caret at the first visible word.
      const first = runs.find((run) => run.getBoundingClientRect().bottom > 0) || runs[0];
      const node = first && runTextNode(first);
      if (node) selection.collapse(node, 0);
    }
    showCaret();
  });
  textEl.addEventListener("blur", () => {
    caret.hidden = true;
  });
  textEl.addEventListener("keydown", (event) => {
    const move = MOVES[event.key];
    const selection = document.getSelection();
    if (!move || event.metaKey || !selection.rangeCount || !textEl.contains(selection.focusNode)) return;
    let [direction, granularity] = move;
    if ((event.ctrlKey || event.altKey) && granularity === "character") granularity = "word";
    event.preventDefault();
    keyboardMode = true;
    selection.modify(event.shiftKey ? "extend" : "move", direction, granularity);
    showCaret();
    selection.focusNode.parentElement?.scrollIntoView({ block: "nearest" });
  });

  // Only a passage's first run carries its tooltip (who makes the claim, who else it
  // names); the others borrow it when the pointer reaches them.
  textEl.addEventListener("mouseover", (event) => {
    const mark = event.target.closest?.("mark.hl");
    if (!mark || mark.title) return;
    const first = document.getElementById(`passage-${mark.dataset.claim}`);
    if (first?.title) mark.title = first.title;
  });

  textEl.addEventListener("click", (event) => {
    const ref = event.target.closest("a.claim-ref");
    if (ref) {
      event.preventDefault();
      hidePopover();
      activate(ref.dataset.claim, { scrollList: true });
      withListItem(ref.dataset.claim, (item) => item.focus({ preventScroll: true }));
      return;
    }
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed) return;
    const run = event.target.closest(".run");
    const hidden = hiddenStatuses();
    const ids = run
      ? [...run.querySelectorAll("mark.hl")]
          .map((mark) => mark.dataset.claim)
          .filter((id) => !hidden.has(claims.get(id).status))
      : [];
    if (!ids.length) {
      hidePopover();
      return;
    }
    if (ids.length === 1) {
      activate(ids[0], { scrollList: true });
      showCard(ids[0], event.clientX, event.clientY);
    } else {
      showChooser(ids, event.clientX, event.clientY);
    }
  });
}

for (const type of ["pointerup", "pointercancel"]) {
  // A touch that turns into a native selection ends in pointercancel.
  document.addEventListener(type, () => {
    if (!dragging) return;
    dragging = false;
    schedule();
  });
}
document.addEventListener("selectionchange", () => {
  schedule();
  showCaret();
});
window.addEventListener("resize", schedule);

if (floatButton) {
  // Pressing the button must not clear the selection it acts on.
  floatButton.addEventListener("pointerdown", (event) => event.preventDefault());
  floatButton.addEventListener("mousedown", (event) => event.preventDefault());
  floatButton.addEventListener("click", () => openPanel(passage || selectedPassage()));
}

document.getElementById("claim-panel-close")?.addEventListener("click", closePanel);

function typingIn(target) {
  return (
    target instanceof Element &&
    (target.closest("input, textarea, select, [contenteditable], dialog") !== null)
  );
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    if (document.querySelector("dialog[open]")) return;
    if (popover && !popover.hidden) {
      hidePopover();
      return;
    }
    if (panel && !panel.hidden) {
      event.preventDefault();
      closePanel();
    }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
  const key = event.key.toLowerCase();
  if (key === "n" && form) {
    const chosen = selectedPassage();
    if (chosen) {
      event.preventDefault();
      openPanel(chosen);
    } else {
      const hint = document.getElementById("reader-hint");
      hint?.classList.remove("nudge");
      void hint?.offsetWidth;
      hint?.classList.add("nudge");
    }
  } else if ((key === "c" || key === "s") && markedSpans && panel && !panel.hidden) {
    // Mark the selected words as the cue (C) or the source mention (S) of the claim.
    if (markedSpans.mark(key === "c" ? "cue" : "source_mention")) event.preventDefault();
  } else if (key === "j" || key === "k") {
    event.preventDefault();
    hidePopover();
    step(key === "j" ? 1 : -1);
  }
});

document.addEventListener("click", (event) => {
  // The path, not `contains`: a choice in the popover is gone by the time this runs.
  const path = event.composedPath();
  if (popover && !popover.hidden && !path.includes(popover) && !path.includes(textEl)) {
    hidePopover();
  }
});

list?.addEventListener("click", (event) => {
  const number = event.target.closest("a.claim-num");
  if (number) {
    event.preventDefault();
    activate(number.dataset.claim, { scrollText: true });
    return;
  }
  if (event.target.closest("a, button")) return;
  const selection = document.getSelection();
  if (selection && !selection.isCollapsed) return;
  const item = event.target.closest(".claim-item");
  if (item && !item.classList.contains("unplaced")) activate(item.dataset.claim, { scrollText: true });
});

document.querySelectorAll(".legend-item").forEach((button) => {
  button.addEventListener("click", () => {
    const shown = button.getAttribute("aria-pressed") === "true";
    button.setAttribute("aria-pressed", String(!shown));
    layout.classList.toggle(`hide-st-${button.dataset.status}`, shown);
  });
});

// -- first paint --------------------------------------------------------------------------

if (panel && !panel.hidden && form) {
  // The server sent the form back with errors: show its passage and its first error.
  const start = Number(form.elements.start.value);
  const end = Number(form.elements.end.value);
  const error = panel.querySelector(".has-error input:not([type=hidden]), .has-error textarea, .has-error select");
  (error || form.elements.statement).focus({ preventScroll: true });
  panel.querySelector(".form-errors, .field-error")?.scrollIntoView({ block: "nearest" });
  if (form.elements.start.value !== "" && end > start && end <= points.length) {
    const range = rangeFor(start, end);
    showPending(range);
    keepInView(range);
    claimForm.loadSuggestions(start, end);
  }
  markedSpans?.refresh((a, b) => points.slice(a, b).join(""));
}

initSuggestions({ textEl, rangeFor, openPanel, claimForm, form, points, readerData, hidePopover });

const selected = new URL(window.location.href).searchParams.get("claim");
if (selected && claims.has(selected)) {
  activate(selected, { scrollText: claims.get(selected).placed, scrollList: true });
}
