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
