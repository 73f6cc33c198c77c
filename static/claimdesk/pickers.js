// The claim form: type-ahead pickers for actors and sources (names and aliases), rows of
// further actors and cited sources, inline creation of a new actor or source, and the
// actors mentioned around the passage offered first. Rows of related claims use a claim
// picker: the server searches statements, quotes and who is named (aliases included)
// and offers the likely claims first (same article, shared actors, opposite certainty).
//
// The form works without this module (a typed name is looked up by the server); this
// module only makes choosing faster. Every user-supplied string goes into the page
// through textContent, never as markup.

const DEBOUNCE_MS = 120;
let uid = 0;

// The one text fold of the server (annotations/text.py), written again for the browser:
// NFKD, case folded, marks dropped, a few letters spelled in Latin, every apostrophe "'",
// other punctuation, symbols ("_" aside) and white space one space, format characters
// dropped. The pickers use it only to mark which alias matched; the server ranks.
const APOSTROPHES = new Set(["'", "\u2019", "\u2018", "\u201b", "\u02bc", "\u2032", "\u0060", "\u00b4", "\uff07"]);
// Python's casefold beyond toLowerCase, for the letters news text holds.
const CASEFOLD = { "ß": "ss", "ς": "σ" };
const LETTERS = { "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "\u0131": "i", "ŧ": "t", "æ": "ae", "œ": "oe", "þ": "th" };

function foldChar(ch) {
  if (APOSTROPHES.has(ch)) return "'";
  let out = "";
  for (const c of ch.normalize("NFKD").toLowerCase().normalize("NFKD")) {
    if (/\p{M}/u.test(c)) continue;
    if (APOSTROPHES.has(c)) out += "'";
    else if (/\p{Cf}/u.test(c)) continue;
    else if (/\s/u.test(c) || (/[\p{P}\p{S}]/u.test(c) && c !== "_" && !/\p{Pc}/u.test(c))) out += " ";
    else out += LETTERS[c] || CASEFOLD[c] || c;
  }
  return out;
}

/** Fold a name as the server does ("Tiranë" → "tirane", "Iran’s" → "iran's"). */
export function fold(text) {
  return Array.from(text || "", foldChar).join("").replace(/ {2,}/g, " ").trim();
}

function csrfToken(form) {
  const field = form.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

async function requestJSON(form, url, { method = "GET", body, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["X-CSRFToken"] = csrfToken(form);
  }
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const KIND_LABELS = {
  person: "person",
  organisation: "organisation",
  state: "state",
  group: "group",
  other: "other",
};

/** Which of an entry's names the query matched, when it is not the main name. */
function matchedAlias(entry, query) {
  const q = fold(query);
  if (!q || fold(entry.name).includes(q)) return "";
  const alias = (entry.aliases || []).find((a) => fold(a).includes(q));
  return alias || "";
}

/**
 * A combobox over one `.picker`: a hidden id input and a visible text input.
 * `context` gives the search and create endpoints and the passage's suggestions.
 */
export class Picker {
  constructor(root, context) {
    this.root = root;
    this.context = context;
    this.kind = root.dataset.picker; // "actor" or "source"
    this.idInput = root.querySelector(".picker-id");
    this.input = root.querySelector(".picker-input");
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.list = element("ul", "picker-list");
    this.list.id = `picker-list-${++uid}`;
    this.list.setAttribute("role", "listbox");
    this.list.hidden = true;
    root.append(this.list);
    this.status = element("span", "visually-hidden");
    this.status.setAttribute("role", "status");
    root.append(this.status);

    const input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    if (this.idInput.value) root.classList.add("is-picked");

    input.addEventListener("input", () => {
      this.idInput.value = "";
      root.classList.remove("is-picked");
      clearTimeout(this.timer);
      // Answer at once from the passage's actors; the server's matches follow.
      this.renderLocal(input.value.trim());
      this.timer = setTimeout(() => this.search(), DEBOUNCE_MS);
    });
    input.addEventListener("focus", () => {
      if (!input.value.trim() && !this.idInput.value) this.search();
    });
    input.addEventListener("keydown", (event) => this.onKey(event));
    input.addEventListener("blur", () => {
      setTimeout(() => {
        if (!root.contains(document.activeElement)) this.close();
      }, 150);
    });
    // Keep the focus in the input while choosing with the mouse.
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.choose(Number(option.dataset.index));
    });
    root.picker = this;
  }

  get url() {
    if (this.kind === "claim") return this.context.claimsUrl;
    return this.kind === "actor" ? this.context.actorsUrl : this.context.sourcesUrl;
  }

  get canCreate() {
    if (this.kind === "claim") return false;
    return this.kind === "actor" ? this.context.canAddActor : this.context.canAddSource;
  }

  /** Claims a relation could point to: asked even for an empty query (likely first). */
  async searchClaims() {
    const query = this.input.value.trim();
    if (!this.url) return;
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    let results = [];
    try {
      const params = this.context.claimQuery();
      params.set("q", query);
      const { ok, data } = await requestJSON(this.context.form, `${this.url}?${params}`, {
        signal: this.controller.signal,
      });
      if (!ok) return;
      results = (data && data.claims) || [];
    } catch (error) {
      if (error.name === "AbortError") return;
      throw error;
    }
    if (this.input.value.trim() !== query) return;
    this.render(
      results.map((entry) => ({
        entry: { ...entry, name: `#${entry.id} ${entry.name}`, label: entry.name },
        note: [entry.status.replace(/_/g, " "), ...(entry.reasons || [])].join(" · "),
        suggested: false,
      })),
      query,
    );
  }

  async search() {
    if (this.kind === "claim") {
      await this.searchClaims();
      return;
    }
    const query = this.input.value.trim();
    const suggested = this.kind === "actor" ? this.context.suggestions() : [];
    if (!query) {
      this.render(
        suggested.map((s) => ({ entry: s, note: s.matched && s.matched !== s.name ? `“${s.matched}”` : "", suggested: true })),
        query,
      );
      return;
    }
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    let results = [];
    try {
      const url = `${this.url}?q=${encodeURIComponent(query)}&page_size=20`;
      const { ok, data } = await requestJSON(this.context.form, url, { signal: this.controller.signal });
      if (!ok) return;
      results = Array.isArray(data) ? data : data.results || [];
    } catch (error) {
      if (error.name === "AbortError") return;
      throw error;
    }
    if (this.input.value.trim() !== query) return;
    // The server's order is the ranking (annotations.selectors.actors.rank_by_name).
    const suggestedIds = new Set(suggested.map((s) => s.id));
    this.render(
      results.map((entry) => {
        const alias = matchedAlias(entry, query);
        return { entry, note: alias ? `matches “${alias}”` : "", suggested: suggestedIds.has(entry.id) };
      }),
      query,
    );
  }

  renderLocal(query) {
    if (this.kind === "claim") return; // the server answers after the pause
    if (!query) {
      this.search();
      return;
    }
    const q = fold(query);
    const suggested = this.kind === "actor" ? this.context.suggestions() : [];
    const matches = suggested.filter((s) => fold(s.name).includes(q) || fold(s.matched).includes(q));
    if (matches.length) {
      this.render(
        matches.map((entry) => ({ entry, note: "", suggested: true })),
        "",
      );
    } else {
      this.items = [];
      this.list.replaceChildren(element("li", "picker-empty", "Searching…"));
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
      this.setActive(-1);
    }
  }

  render(options, query) {
    this.items = options;
    if (this.canCreate && query && !options.some((o) => fold(o.entry.name) === fold(query))) {
      this.items = [...options, { create: true, query }];
    }
    this.list.replaceChildren();
    this.items.forEach((item, index) => {
      const option = element("li", "picker-option");
      option.id = `${this.list.id}-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(index);
      if (item.create) {
        option.classList.add("create");
        option.append(element("span", "option-name", `+ Create ${this.kind} “${item.query}”…`));
      } else {
        option.append(element("span", "option-name", item.entry.name));
        const kind = KIND_LABELS[item.entry.kind] || (item.entry.kind || "").replace(/_/g, " ");
        if (kind) option.append(element("span", "option-kind", kind));
        if (item.note) option.append(element("span", "option-note", item.note));
        if (item.suggested) option.append(element("span", "option-tag", "in passage"));
        if (this.kind === "claim") option.classList.add("claim-option");
      }
      this.list.append(option);
    });
    if (!this.items.length && query) {
      const empty = element("li", "picker-empty", `No ${this.kind} matches “${query}”.`);
      this.list.append(empty);
    }
    const open = this.list.children.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    this.status.textContent = open ? `${this.items.length} option${this.items.length === 1 ? "" : "s"}` : "";
    this.setActive(this.items.length ? 0 : -1);
  }

  setActive(index) {
    this.active = index;
    [...this.list.querySelectorAll("[role=option]")].forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      option.classList.toggle("is-active", i === index);
      if (i === index) option.scrollIntoView({ block: "nearest" });
    });
    if (index >= 0) this.input.setAttribute("aria-activedescendant", `${this.list.id}-${index}`);
    else this.input.removeAttribute("aria-activedescendant");
  }

  onKey(event) {
    const open = !this.list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) {
        this.search();
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      const count = this.items.length;
      if (count) this.setActive((this.active + step + count) % count);
    } else if (event.key === "Enter") {
      if (open && this.active >= 0) {
        event.preventDefault();
        this.choose(this.active);
      } else if (!this.idInput.value && this.input.value.trim()) {
        // Do not send a half-typed name with Enter; show the choices instead.
        event.preventDefault();
        this.search();
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    }
  }

  choose(index) {
    const item = this.items[index];
    if (!item) return;
    this.close();
    if (item.create) {
      this.context.create(this.kind, item.query, (entry) => this.pick(entry));
      return;
    }
    this.pick(item.entry);
  }

  pick(entry) {
    this.idInput.value = String(entry.id);
    this.input.value = entry.label || entry.name;
    this.root.classList.add("is-picked");
    this.root.dispatchEvent(new CustomEvent("picker:change", { bubbles: true, detail: entry }));
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }
}

/** The inline "new actor" / "new source" dialogs. */
function setUpCreation(form, context) {
  const dialogs = {
    actor: document.getElementById("create-actor-dialog"),
    source: document.getElementById("create-source-dialog"),
  };
  let pending = null;

  for (const [kind, dialog] of Object.entries(dialogs)) {
    if (!dialog) continue;
    const dialogForm = dialog.querySelector("form");
    const general = dialog.querySelector(".dialog-errors");
    const clearErrors = () => {
      general.hidden = true;
      general.textContent = "";
      dialog.querySelectorAll("[data-error-for]").forEach((node) => {
        node.hidden = true;
        node.textContent = "";
      });
    };
    dialog.querySelector("[data-dialog-cancel]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      const input = pending && pending.returnFocus;
      pending = null;
      if (input) input.focus();
    });
    dialogForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors();
      const values = Object.fromEntries(new FormData(dialogForm).entries());
      const body = { name: (values.name || "").trim(), kind: values.kind };
      if (kind === "actor") {
        body.aliases = (values.aliases || "").split(",").map((a) => a.trim()).filter(Boolean);
      } else {
        body.url = (values.url || "").trim();
        body.publisher = (values.publisher || "").trim();
      }
      if (!body.name) {
        const slot = dialog.querySelector('[data-error-for="name"]');
        slot.textContent = "Give the name.";
        slot.hidden = false;
        dialogForm.elements.name.focus();
        return;
      }
      const submit = dialogForm.querySelector("button[type=submit]");
      submit.disabled = true;
      try {
        const url = kind === "actor" ? context.actorsUrl : context.sourcesUrl;
        const { ok, data, status } = await requestJSON(form, url, { method: "POST", body });
        if (ok) {
          const done = pending && pending.done;
          const entry = { ...data, aliases: data.aliases || body.aliases || [] };
          dialog.close();
          if (done) done(entry);
          return;
        }
        showErrors(dialog, general, data, status);
      } catch {
        general.textContent = "The server could not be reached. Try again.";
        general.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
  }

  return function create(kind, query, done) {
    const dialog = dialogs[kind];
    if (!dialog) return;
    const dialogForm = dialog.querySelector("form");
    dialogForm.reset();
    dialog.querySelectorAll("[data-error-for], .dialog-errors").forEach((node) => {
      node.hidden = true;
      node.textContent = "";
    });
    dialogForm.elements.name.value = query;
    pending = { done, returnFocus: document.activeElement };
    dialog.showModal();
    dialogForm.elements.kind.focus();
  };
}

function showErrors(dialog, general, data, status) {
  const errors = (data && data.errors) || [];
  let placed = false;
  const unplaced = [];
  for (const error of errors) {
    const field = (error.field || "").split(".")[0];
    const slot = field && dialog.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (slot) {
      slot.textContent = error.detail;
      slot.hidden = false;
      placed = true;
    } else {
      unplaced.push(error.detail);
    }
  }
  // DRF's own validation shape: {field: [messages]}.
  if (!errors.length && data && typeof data === "object" && !data.detail) {
    for (const [field, messages] of Object.entries(data)) {
      const slot = dialog.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
      const text = Array.isArray(messages) ? messages.join(" ") : String(messages);
      if (slot) {
        slot.textContent = text;
        slot.hidden = false;
        placed = true;
      } else unplaced.push(text);
    }
  }
  if (!placed || unplaced.length) {
    general.textContent =
      unplaced.join(" ") ||
      (data && data.detail) ||
      (status === 403 ? "You may not create this." : "This could not be saved.");
    general.hidden = false;
  }
}

/** Rows of further actors / cited sources: add, remove, enhance. */
function setUpRows(form, context) {
  for (const fieldset of form.querySelectorAll("[data-rows]")) {
    const list = fieldset.querySelector("[data-row-list]");
    const template = fieldset.querySelector("template[data-row-template]");
    const add = fieldset.querySelector("[data-add-row]");
    // Without this module a blank row lets people add one entry; with it, a button does.
    list.querySelectorAll(".blank-row").forEach((row) => row.remove());
    add.hidden = false;
    add.addEventListener("click", () => {
      const row = addRow(list, template, context);
      row.querySelector(".picker-input").focus();
    });
    list.addEventListener("click", (event) => {
      const remove = event.target.closest("[data-remove-row]");
      if (!remove) return;
      remove.closest(".link-row").remove();
      add.focus();
    });
  }
}

function addRow(list, template, context) {
  const fragment = template.content.cloneNode(true);
  const row = fragment.querySelector(".link-row");
  list.append(fragment);
  row.querySelectorAll(".picker").forEach((picker) => new Picker(picker, context));
  return row;
}

/** Chips of the actors named in and around the passage: one click gives a role. */
function setUpSuggestions(form, context) {
  const box = form.querySelector("[data-suggestions]");
  if (!box) return () => {};
  const roles = [...form.querySelectorAll('template[data-row-template]')]
    .map((t) => t.content.querySelector("select[name=role]"))
    .find(Boolean);
  const roleChoices = roles
    ? [...roles.options].filter((o) => o.value).map((o) => [o.value, o.textContent])
    : [];
  let menu = null;
  const closeMenu = () => {
    if (menu) menu.remove();
    menu = null;
  };

  function assign(actor, role) {
    closeMenu();
    if (role === "claimant") {
      const claimant = form.querySelector('.picker[data-picker="actor"]');
      claimant.picker.pick(actor);
      claimant.querySelector(".picker-input").focus();
      return;
    }
    const fieldset = form.querySelector('[data-rows="actor"]');
    const row = addRow(
      fieldset.querySelector("[data-row-list]"),
      fieldset.querySelector("template[data-row-template]"),
      context,
    );
    row.querySelector(".picker").picker.pick(actor);
    const select = row.querySelector("select[name=role]");
    select.value = role;
    select.focus();
  }

  box.addEventListener("click", (event) => {
    const chip = event.target.closest(".chip");
    if (chip) {
      const actor = context.suggestions().find((a) => String(a.id) === chip.dataset.actor);
      if (!actor) return;
      if (menu && menu.dataset.actor === chip.dataset.actor) {
        closeMenu();
        return;
      }
      closeMenu();
      menu = element("div", "chip-menu");
      menu.dataset.actor = chip.dataset.actor;
      menu.setAttribute("role", "group");
      menu.setAttribute("aria-label", `Add ${actor.name} as`);
      for (const [value, label] of [["claimant", "Claimant"], ...roleChoices]) {
        const button = element("button", "chip-role", label);
        button.type = "button";
        button.dataset.role = value;
        menu.append(button);
      }
      chip.after(menu);
      menu.querySelector("button").focus();
      return;
    }
    const roleButton = event.target.closest(".chip-role");
    if (roleButton && menu) {
      const actor = context.suggestions().find((a) => String(a.id) === menu.dataset.actor);
      if (actor) assign(actor, roleButton.dataset.role);
    }
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu) {
      event.stopPropagation();
      const chip = box.querySelector(`.chip[data-actor="${menu.dataset.actor}"]`);
      closeMenu();
      if (chip) chip.focus();
    }
  });

  return function show(actors) {
    closeMenu();
    box.replaceChildren();
    if (!actors.length) {
      box.hidden = true;
      return;
    }
    // The server ranks actors by where they are named (`found_in`): the passage, then its
    // sentence, then the rest of the article; each group says which it is.
    let where = null;
    for (const actor of actors) {
      const found = actor.found_in || "passage";
      if (found !== where) {
        where = found;
        const label = element("span", "suggestions-label", FOUND_IN[found] || FOUND_IN.passage);
        label.dataset.foundIn = found;
        box.append(label);
      }
      const chip = element("button", "chip");
      chip.type = "button";
      chip.dataset.actor = String(actor.id);
      chip.append(element("span", "", actor.name));
      if (actor.matched && fold(actor.matched) !== fold(actor.name)) {
        chip.append(element("span", "chip-note", ` “${actor.matched}”`));
      }
      box.append(chip);
    }
    box.hidden = false;
  };
}

/**
 * Ask before leaving a page whose claim form holds typed text not yet saved: a
 * half-written claim is otherwise lost to a click on a link. Sending the form, or a
 * form reset (the reader's panel closing), clears the warning.
 */
function warnBeforeLeaving(form) {
  let dirty = false;
  form.addEventListener("input", (event) => {
    if (event.target.matches("textarea, input[type=text], input:not([type])")) dirty = true;
  });
  form.addEventListener("submit", () => {
    dirty = false;
  });
  form.addEventListener("reset", () => {
    dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
}

const FOUND_IN = {
  passage: "In this passage:",
  sentence: "In its sentence:",
  article: "Elsewhere in the article:",
};

/**
 * Enhance a claim form. Returns `{ loadSuggestions(start, end), fill(values) }` for the
 * reader.
 */
export function initClaimForm(form) {
  let suggestions = [];
  const context = {
    form,
    actorsUrl: form.dataset.actorsUrl,
    sourcesUrl: form.dataset.sourcesUrl,
    claimsUrl: form.dataset.claimsUrl,
    // What the claim picker ranks by: this claim (when it exists), its article, and the
    // claimant, actors and certainty the form holds now.
    claimQuery() {
      const params = new URLSearchParams();
      if (form.dataset.claim) params.set("claim", form.dataset.claim);
      else if (form.dataset.article) params.set("article", form.dataset.article);
      for (const input of form.querySelectorAll("input[name=claimant], input[name=actor]")) {
        if (input.value) params.append("actor", input.value);
      }
      const certainty = form.querySelector("input[name=certainty]:checked");
      if (certainty) params.set("certainty", certainty.value);
      return params;
    },
    canAddActor: form.hasAttribute("data-can-add-actor"),
    canAddSource: form.hasAttribute("data-can-add-source"),
    suggestions: () => suggestions,
  };
  context.create = setUpCreation(form, context);
  form.querySelectorAll(".picker").forEach((root) => {
    if (!root.closest("template")) new Picker(root, context);
  });
  setUpRows(form, context);
  const showSuggestions = setUpSuggestions(form, context);

  // One submission only, but keep the pressed button's value (draft or submit).
  form.addEventListener("submit", (event) => {
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    setTimeout(() => delete form.dataset.submitting, 5000);
  });

  warnBeforeLeaving(form);

  let suggestionRequest = 0;
  return {
    /**
     * Fill the form from a suggested attribution for the researcher to correct: the
     * statement, the claimant (or its words typed in the picker, which then offers to
     * create the actor), the certainty and the further actors in their roles.
     */
    fill({ statement = "", claimant = null, claimantText = "", certainty = "", actors = [] }) {
      form.elements.statement.value = statement;
      const claimantPicker = form.querySelector('.picker[data-picker="actor"]');
      if (claimant) {
        claimantPicker.picker.pick(claimant);
      } else {
        const input = claimantPicker.querySelector(".picker-input");
        claimantPicker.querySelector(".picker-id").value = "";
        claimantPicker.classList.remove("is-picked");
        input.value = claimantText;
      }
      const choice = form.querySelector(`input[name=certainty][value="${CSS.escape(certainty)}"]`);
      if (choice) choice.checked = true;
      const fieldset = form.querySelector('[data-rows="actor"]');
      if (fieldset) {
        const list = fieldset.querySelector("[data-row-list]");
        list.querySelectorAll(".link-row").forEach((row) => row.remove());
        for (const { actor, role } of actors) {
          const row = addRow(list, fieldset.querySelector("template[data-row-template]"), context);
          row.querySelector(".picker").picker.pick(actor);
          row.querySelector("select[name=role]").value = role;
        }
      }
    },
    async loadSuggestions(start, end) {
      const url = form.dataset.suggestUrl;
      suggestions = [];
      showSuggestions([]);
      if (!url) return;
      const ticket = ++suggestionRequest;
      const query = `?article=${encodeURIComponent(form.dataset.article)}&start=${start}&end=${end}`;
      try {
        const { ok, data } = await requestJSON(form, url + query);
        if (!ok || ticket !== suggestionRequest) return;
        suggestions = (data && data.actors) || [];
        showSuggestions(suggestions);
      } catch {
        // Suggestions are a convenience; the pickers still search everything.
      }
    },
  };
}
