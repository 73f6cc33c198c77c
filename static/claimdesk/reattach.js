// Re-attaching a claim: turn a selection in the article text into code-point offsets and
// the quote, and fill the form with them.
//
// The server renders the text as runs, `<span class="run" data-start data-end>`, each
// holding one text node; a boundary inside a run's text node is the run's start plus
// the code points before it, a boundary anywhere else snaps to the nearest run edge.
// Offsets typed into the form update the quote shown, so the form works either way.
import { codePoints, codePointsBefore, trimRange } from "./offsets.js";

const textEl = document.getElementById("reattach-text");
const form = document.getElementById("reattach-form");
const points = codePoints(JSON.parse(document.getElementById("reattach-data").textContent));
const runs = [...textEl.querySelectorAll(".run")];
const startInput = form.elements.start;
const endInput = form.elements.end;
const exactInput = form.elements.exact;

function collapsedAt(container, offset) {
  const point = document.createRange();
  point.setStart(container, offset);
  return point;
}

/** Code-point offset of a DOM boundary point; `isEnd` says which way to snap in gaps. */
function offsetAt(container, offset, isEnd) {
  const element = container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement;
  const run = element && element.closest(".run");
  if (run && textEl.contains(run)) {
    if (container.nodeType === Node.TEXT_NODE) {
      return Number(run.dataset.start) + codePointsBefore(container.data, offset);
    }
    const first = document.createTreeWalker(run, NodeFilter.SHOW_TEXT).nextNode();
    return first && collapsedAt(container, offset).comparePoint(first, 0) >= 0
      ? Number(run.dataset.start)
      : Number(run.dataset.end);
  }
  // Between runs (a paragraph break): the first run starting after the point decides.
  const point = collapsedAt(container, offset);
  const next = runs.findIndex((candidate) => point.comparePoint(candidate, 0) >= 0);
  if (isEnd) {
    const before = next === -1 ? runs.length - 1 : next - 1;
    return before >= 0 ? Number(runs[before].dataset.end) : 0;
  }
  return next === -1 ? points.length : Number(runs[next].dataset.start);
}

function selectedPassage() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(textEl)) return null;
  const [start, end] = trimRange(
    points,
    offsetAt(range.startContainer, range.startOffset, false),
    offsetAt(range.endContainer, range.endOffset, true),
  );
  return start < end ? { start, end } : null;
}

function fill({ start, end }) {
  startInput.value = String(start);
  endInput.value = String(end);
  exactInput.value = points.slice(start, end).join("");
}

let frame = 0;
function onSelection() {
  cancelAnimationFrame(frame);
  frame = requestAnimationFrame(() => {
    const passage = selectedPassage();
    if (passage) fill(passage);
  });
}

document.addEventListener("selectionchange", onSelection);
textEl.addEventListener("mouseup", onSelection);
textEl.addEventListener("keyup", onSelection);

function onOffsetsTyped() {
  const start = Number.parseInt(startInput.value, 10);
  const end = Number.parseInt(endInput.value, 10);
  if (Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= points.length) {
    exactInput.value = points.slice(start, end).join("");
  }
}
startInput.addEventListener("input", onOffsetsTyped);
endInput.addEventListener("input", onOffsetsTyped);

// Tells whoever waits (people see nothing) that selections are now turned into offsets.
textEl.dataset.ready = "true";
