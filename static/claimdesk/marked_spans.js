// The claim form's cue and source mention: hidden offsets, the words shown beside them,
// "Mark selection as …" (in the reader, where the text is) and "Clear" buttons.
//
// `options.selection()` answers the text's current selection as {start, end, exact}
// (or null); `options.show(name, start, end)` marks the words in the text (null offsets
// unmark them). Without `selection` (the claim edit page) only clearing is offered.

export const SPAN_NAMES = ["cue", "source_mention"];

export function initMarkedSpans(form, options = {}) {
  const boxes = new Map(
    [...form.querySelectorAll("[data-marked-span]")].map((box) => [box.dataset.markedSpan, box]),
  );

  function field(name, part) {
    return form.elements[`${name}_${part}`];
  }

  function set(name, span) {
    const box = boxes.get(name);
    if (!box) return;
    field(name, "start").value = span ? String(span.start) : "";
    field(name, "end").value = span ? String(span.end) : "";
    const words = box.querySelector("[data-marked-words]");
    words.textContent = span ? span.exact : "";
    words.hidden = !span;
    const none = box.querySelector("[data-marked-none]");
    none.textContent = "not marked";
    none.hidden = Boolean(span);
    box.classList.remove("has-error");
    box.querySelector(".field-error")?.remove();
    options.show?.(name, span ? span.start : null, span ? span.end : null);
  }

  /** Mark the text's selection as the cue or source mention; false when nothing is selected. */
  function mark(name) {
    const chosen = options.selection?.();
    if (!chosen) return false;
    set(name, chosen);
    return true;
  }

  for (const [name, box] of boxes) {
    const markButton = box.querySelector("[data-mark-span]");
    if (options.selection && markButton) {
      markButton.hidden = false;
      // Pressing the button must not clear the selection it acts on.
      markButton.addEventListener("pointerdown", (event) => event.preventDefault());
      markButton.addEventListener("mousedown", (event) => event.preventDefault());
      markButton.addEventListener("click", () => {
        if (!mark(name)) {
          const none = box.querySelector("[data-marked-none]");
          none.textContent = "select the words in the text first";
        }
      });
    }
    box.querySelector("[data-clear-span]")?.addEventListener("click", () => set(name, null));
  }

  /** Show what the form holds (a form sent back with errors, a prefilled one). */
  function refresh(words) {
    for (const name of boxes.keys()) {
      const start = field(name, "start").value;
      const end = field(name, "end").value;
      if (start === "" || end === "" || Number(end) <= Number(start)) continue;
      const exact = words ? words(Number(start), Number(end)) : null;
      const shown = boxes.get(name).querySelector("[data-marked-words]");
      if (exact !== null) {
        shown.textContent = exact;
        shown.hidden = false;
        boxes.get(name).querySelector("[data-marked-none]").hidden = true;
      }
      options.show?.(name, Number(start), Number(end));
    }
  }

  return { mark, set, refresh, clear: () => SPAN_NAMES.forEach((name) => set(name, null)) };
}
