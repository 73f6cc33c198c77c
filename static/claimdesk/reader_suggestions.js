// Suggested claims in the reader: a toggle (remembered in this browser) fetches the
// article's suggestions once and marks their passages with a dashed underline (the CSS
// Custom Highlight API, so the text's markup is untouched); G / Shift+G step through
// them, A accepts the current one (the claim form opens filled in, to correct and save)
// and D dismisses it for the article (remembered by the server).

const STORAGE_KEY = "claimdesk.suggestions";
const CERTAINTY = {
  asserted: "asserts",
  alleged: "alleges",
  denied: "denies",
  confirmed: "confirms",
  speculated: "speculates",
};

function remembered() {
  try {
    return localStorage.getItem(STORAGE_KEY) === "on";
  } catch {
    return false;
  }
}

function remember(on) {
  try {
    localStorage.setItem(STORAGE_KEY, on ? "on" : "off");
  } catch {
    // Private windows may refuse storage: the toggle still works for this page.
  }
}

export function initSuggestions({ textEl, rangeFor, openPanel, claimForm, form, points, readerData, hidePopover }) {
  const toggle = document.getElementById("suggestions-toggle");
  const card = document.getElementById("suggestion-card");
  const status = document.getElementById("suggestion-status");
  const legend = document.querySelector(".legend-suggestion");
  const url = readerData.suggestions_url;
  if (!toggle || !card || !url || !textEl || !form) return;
  const highlights = typeof CSS !== "undefined" && CSS.highlights ? CSS.highlights : null;
  let suggestions = null; // fetched once, when first shown
  let current = -1;
  let on = false;

  const exactOf = (start, end) => points.slice(start, end).join("");

  function draw() {
    if (!highlights) return;
    if (!on || !suggestions) {
      highlights.delete("suggestion");
      highlights.delete("suggestion-current");
      return;
    }
    const ranges = suggestions.flatMap((s) => s.content.map((part) => rangeFor(part.start, part.end)));
    highlights.set("suggestion", new Highlight(...ranges.filter(Boolean)));
    const chosen = suggestions[current];
    const mine = chosen ? chosen.content.map((part) => rangeFor(part.start, part.end)) : [];
    highlights.set("suggestion-current", new Highlight(...mine.filter(Boolean)));
  }

  function say(text) {
    status.textContent = text;
  }

  function describe(s) {
    const who = s.claimant ? s.claimant.name : s.claimant_text ? `“${s.claimant_text}” (not in the registry)` : "someone unnamed";
    const parts = [`${who} ${CERTAINTY[s.certainty] || s.certainty}`];
    if (s.cue) parts.push(`cue “${s.cue.exact}”`);
    if (s.actors.length) parts.push(s.actors.map((a) => `${a.actor.name} (${a.role})`).join(", "));
    return parts.join(" · ");
  }

  function showCard() {
    const s = suggestions && suggestions[current];
    card.hidden = !on || !s;
    if (!s) return;
    document.getElementById("suggestion-position").textContent = `${current + 1} of ${suggestions.length}`;
    document.getElementById("suggestion-quote").textContent = s.content.map((part) => part.exact).join(" … ");
    document.getElementById("suggestion-meta").textContent = describe(s);
  }

  function counted() {
    if (!suggestions) return;
    const n = suggestions.length;
    say(n ? `${n} suggested claim${n === 1 ? "" : "s"}: G for the next` : "No suggested claims left");
  }

  let loading = null;

  /** Fetch the suggestions once; a step pressed meanwhile waits for them. */
  function load() {
    if (!loading) loading = fetchSuggestions();
    return loading;
  }

  async function fetchSuggestions() {
    say("Loading suggestions…");
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const data = await response.json();
      if (!response.ok) {
        loading = null;
        say(data.detail || "The suggestions could not be loaded.");
        return;
      }
      suggestions = data.results;
    } catch {
      loading = null;
      say("The suggestions could not be loaded. Try again.");
    }
  }

  async function setOn(value) {
    on = value;
    remember(on);
    toggle.setAttribute("aria-pressed", String(on));
    for (const id of ["suggestion-prev", "suggestion-next"]) document.getElementById(id).hidden = !on;
    if (legend) legend.hidden = !on;
    if (on) {
      await load();
      counted();
    } else {
      say("");
    }
    draw();
    showCard();
  }

  async function go(step) {
    if (!on) return;
    await load();
    if (!on || !suggestions || !suggestions.length) return;
    hidePopover();
    current = current === -1 ? (step > 0 ? 0 : suggestions.length - 1) : (current + step + suggestions.length) % suggestions.length;
    draw();
    showCard();
    const range = rangeFor(suggestions[current].start, suggestions[current].end);
    range?.startContainer.parentElement?.scrollIntoView({ block: "center" });
  }

  function accept() {
    const s = suggestions && suggestions[current];
    if (!on || !s) return;
    const range = rangeFor(s.start, s.end);
    openPanel({ start: s.start, end: s.end, exact: exactOf(s.start, s.end), range }, { suggestion: s.key });
    claimForm.fill({
      statement: s.statement,
      claimant: s.claimant,
      claimantText: s.claimant_text,
      certainty: s.certainty,
      actors: s.actors,
    });
    // The triple of the claim, when the form carries its cue and source mention.
    const spans = { cue: s.cue, source_mention: s.source };
    for (const [name, span] of Object.entries(spans)) {
      for (const end of ["start", "end"]) {
        const input = form.elements[`${name}_${end}`];
        if (input) input.value = span ? String(span[end]) : "";
      }
    }
    // The form names the words it was given and marks them in the text.
    form.dispatchEvent(new Event("marked-spans:refresh"));
    form.elements.statement.focus({ preventScroll: true });
  }

  async function dismiss() {
    const s = suggestions && suggestions[current];
    if (!on || !s) return;
    const token = form.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
    try {
      const response = await fetch(`${url}${encodeURIComponent(s.key)}/dismiss/`, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token },
      });
      if (!response.ok && response.status !== 404) {
        const data = await response.json().catch(() => ({}));
        say(data.detail || "The suggestion could not be dismissed.");
        return;
      }
    } catch {
      say("The suggestion could not be dismissed. Try again.");
      return;
    }
    suggestions.splice(current, 1);
    if (current >= suggestions.length) current = suggestions.length - 1;
    draw();
    showCard();
    counted();
    say(`Dismissed. ${status.textContent}`);
  }

  toggle.addEventListener("click", () => setOn(!on));
  document.getElementById("suggestion-next").addEventListener("click", () => go(1));
  document.getElementById("suggestion-prev").addEventListener("click", () => go(-1));
  document.getElementById("suggestion-accept").addEventListener("click", accept);
  document.getElementById("suggestion-dismiss").addEventListener("click", dismiss);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable], dialog")) return;
    const key = event.key.toLowerCase();
    if (key === "s") {
      event.preventDefault();
      setOn(!on);
    } else if (key === "g" && on) {
      event.preventDefault();
      go(event.shiftKey ? -1 : 1);
    } else if (key === "a" && on && current >= 0) {
      event.preventDefault();
      accept();
    } else if (key === "d" && on && current >= 0) {
      event.preventDefault();
      dismiss();
    }
  });

  if (remembered()) setOn(true);
}
