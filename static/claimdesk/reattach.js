// Re-attaching a claim: turn a selection in the article text into code-point offsets and
// the quote, and fill the form with them; say where the passage stands in a reader's
// words ("paragraph 3 of 7, 41 words"), as the claim page does.
//
// The selection is mapped to offsets by `selectedOffsets` (offsets.js). Offsets typed into the form update the quote shown, so the form works either way.
import { codePoints, selectedOffsets } from "./offsets.js";

const textEl = document.getElementById("reattach-text");
const form = document.getElementById("reattach-form");
const points = codePoints(JSON.parse(document.getElementById("reattach-data").textContent));
const runs = [...textEl.querySelectorAll(".run")];
const startInput = form.elements.start;
const endInput = form.elements.end;
const exactInput = form.elements.exact;
const placeEl = form.querySelector("[data-testid=reattach-place]");
const BREAK = "\n\n";

function countBreaks(text) {
  let count = 0;
  for (let at = text.indexOf(BREAK); at !== -1; at = text.indexOf(BREAK, at + BREAK.length)) count += 1;
  return count;
}

/** The server's `place_of` (annotations/templatetags/places.py), over code points. */
function placeOf(start, end) {
  const paragraphs = countBreaks(points.join("")) + 1;
  const number = countBreaks(points.slice(0, start).join("")) + 1;
  const words = points.slice(start, end).join("").split(/\s+/u).filter(Boolean).length;
  return `Paragraph ${number} of ${paragraphs}, ${words} word${words === 1 ? "" : "s"}`;
}

function showPlace(start, end) {
  if (placeEl) placeEl.textContent = `Chosen: ${placeOf(start, end)}.`;
}

function selectedPassage() {
  const offsets = selectedOffsets(textEl, runs, points);
  return offsets ? { start: offsets[0], end: offsets[1] } : null;
}

function fill({ start, end }) {
  startInput.value = String(start);
  endInput.value = String(end);
  exactInput.value = points.slice(start, end).join("");
  showPlace(start, end);
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
    showPlace(start, end);
  }
}
startInput.addEventListener("input", onOffsetsTyped);
endInput.addEventListener("input", onOffsetsTyped);

// Tells whoever waits (people see nothing) that selections are now turned into offsets.
textEl.dataset.ready = "true";
