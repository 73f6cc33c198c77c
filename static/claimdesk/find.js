// Find in the article: every match of the typed words in the reader's text is
// highlighted (the CSS Custom Highlight API, so the text's own markup, which the reader
// reads offsets from, is never touched); Enter and Shift+Enter, or the arrow buttons,
// go to the next and previous match; Escape clears.

const text = document.getElementById("reader-text");
const input = document.getElementById("find-q");
const status = document.getElementById("find-status");
const highlights = typeof CSS !== "undefined" && CSS.highlights ? CSS.highlights : null;
let matches = [];
let current = -1;

function textNodes(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  return nodes;
}

// Matches are found in the concatenated text, case ignored, then mapped back to ranges
// (a match may span several nodes: a claim highlight may start inside a word).
function find(query) {
  const nodes = textNodes(text);
  const starts = [];
  let whole = "";
  for (const node of nodes) {
    starts.push(whole.length);
    whole += node.data;
  }
  const found = [];
  if (!query) return found;
  const haystack = whole.toLocaleLowerCase();
  const needle = query.toLocaleLowerCase();
  if (haystack.length !== whole.length) return found; // a case change altered lengths
  let index = 0;
  let node = 0;
  while ((index = haystack.indexOf(needle, index)) !== -1 && found.length < 1000) {
    const end = index + needle.length;
    while (node + 1 < nodes.length && starts[node + 1] <= index) node += 1;
    let last = node;
    while (last + 1 < nodes.length && starts[last + 1] < end) last += 1;
    const range = document.createRange();
    range.setStart(nodes[node], index - starts[node]);
    range.setEnd(nodes[last], end - starts[last]);
    found.push(range);
    index = end;
  }
  return found;
}

function show() {
  if (highlights) {
    highlights.set("find-hit", new Highlight(...matches));
    highlights.set("find-current", new Highlight(...(current >= 0 ? [matches[current]] : [])));
  }
  if (!input.value) status.textContent = "";
  else if (!matches.length) status.textContent = "No match";
  else status.textContent = `${current + 1} of ${matches.length}${matches.length >= 1000 ? "+" : ""}`;
  if (current >= 0) {
    const element = matches[current].startContainer.parentElement;
    element.scrollIntoView({ block: "center" });
  }
}

function go(step) {
  if (!matches.length) return;
  current = (current + step + matches.length) % matches.length;
  show();
}

if (text && input) {
  input.addEventListener("input", () => {
    matches = find(input.value.trim());
    current = matches.length ? 0 : -1;
    show();
  });
  input.addEventListener("keydown", (event) => {
    // The reader's own keys (N, J, K) must not act while typing here.
    event.stopPropagation();
    if (event.key === "Enter") {
      event.preventDefault();
      go(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      input.value = "";
      matches = [];
      current = -1;
      show();
    }
  });
  document.getElementById("find-next").addEventListener("click", () => go(1));
  document.getElementById("find-prev").addEventListener("click", () => go(-1));
}
