// Re-attaching a claim: turn a selection in the article text into code-point offsets and
// the quote, and fill the form with them.
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

function selectedPassage() {
  const offsets = selectedOffsets(textEl, runs, points);
  return offsets ? { start: offsets[0], end: offsets[1] } : null;
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
