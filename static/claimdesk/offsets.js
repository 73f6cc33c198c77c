// Offsets: the server counts Unicode code points (as the W3C TextPositionSelector does);
// JavaScript strings count UTF-16 units, where a character outside the Basic
// Multilingual Plane (most emoji, each half of a flag) takes two.

/** Number of code points in the first `utf16Offset` UTF-16 units of `text`. */
export function codePointsBefore(text, utf16Offset) {
  let points = 0;
  for (let i = 0; i < utf16Offset && i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // The low half of a pair was counted with its high half.
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) continue;
    }
    points++;
  }
  return points;
}

/** UTF-16 offset in `text` of the code point at index `points`. */
export function utf16Offset(text, points) {
  let offset = 0;
  for (let seen = 0; seen < points && offset < text.length; seen++) {
    const unit = text.charCodeAt(offset);
    offset += unit >= 0xd800 && unit <= 0xdbff && offset + 1 < text.length ? 2 : 1;
  }
  return offset;
}

/** The text as an array of code points, so that slicing counts like the server. */
export function codePoints(text) {
  return Array.from(text);
}

const SPACE = /\s/u;

/** Narrow [start, end) to exclude white space at either edge (code points). */
export function trimRange(points, start, end) {
  while (start < end && SPACE.test(points[start])) start++;
  while (end > start && SPACE.test(points[end - 1])) end--;
  return [start, end];
}

// -- selections over server-rendered runs ------------------------------------------------
//
// The reader and the re-attach page render the text as runs,
// `<span class="run" data-start data-end>`, each holding one text node. A selection
// boundary inside a run's text node is the run's start plus the code points before it; a
// boundary anywhere else (between paragraphs, on a claim number) snaps to the nearest run
// edge, so nothing the markup adds is ever counted.

export function collapsedAt(container, offset) {
  const point = document.createRange();
  point.setStart(container, offset);
  return point;
}

/** Code-point offset of a DOM boundary point; `isEnd` says which way to snap in gaps. */
function offsetAt(textEl, runs, length, container, offset, isEnd) {
  const element = container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement;
  const run = element && element.closest(".run");
  if (run && textEl.contains(run)) {
    if (container.nodeType === Node.TEXT_NODE) {
      return Number(run.dataset.start) + codePointsBefore(container.data, offset);
    }
    const node = document.createTreeWalker(run, NodeFilter.SHOW_TEXT).nextNode();
    return node && collapsedAt(container, offset).comparePoint(node, 0) >= 0
      ? Number(run.dataset.start)
      : Number(run.dataset.end);
  }
  // Outside every run: find the first run that starts after the point.
  const point = collapsedAt(container, offset);
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (point.comparePoint(runs[mid], 0) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (isEnd) return lo > 0 ? Number(runs[lo - 1].dataset.end) : 0;
  return lo < runs.length ? Number(runs[lo].dataset.start) : length;
}

/** The document's selection in `textEl` as trimmed code-point [start, end], or null. */
export function selectedOffsets(textEl, runs, points) {
  const selection = document.getSelection();
  if (!textEl || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(textEl)) return null;
  const [start, end] = trimRange(
    points,
    offsetAt(textEl, runs, points.length, range.startContainer, range.startOffset, false),
    offsetAt(textEl, runs, points.length, range.endContainer, range.endOffset, true),
  );
  return start < end ? [start, end] : null;
}
