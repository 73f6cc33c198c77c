/* Review queue: keyboard shortcuts and deciding without a page load.
 *
 * The page works without this file: every item holds a plain form that posts to the
 * server, which redirects back to the queue. This script adds
 *   j / k   next / previous claim
 *   a       approve (once the three checks are ticked; else goes to the first unticked)
 *   r       reject (once a reason is chosen; else goes to the reason)
 *   c       request changes (once a comment is written; else goes to the comment)
 *   Esc     leave a field, so that the keys above work again
 * and sends decisions with fetch, replacing the item and updating the counts.
 * Shortcuts never fire while typing in a field.
 */
(function () {
  "use strict";

  var queue = document.querySelector("[data-review-queue]");
  var live = document.querySelector("[data-review-live]");
  if (!live) {
    return;
  }
  var current = null;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-review-item]"));
  }

  function announce(text, kind) {
    live.textContent = text || "";
    live.className = "review-live" + (kind ? " review-live-" + kind : "");
  }

  function setCurrent(item, focus) {
    items().forEach(function (other) {
      other.classList.toggle("is-current", other === item);
    });
    current = item;
    if (item && focus) {
      item.focus();
      item.scrollIntoView({ block: "start" });
    }
  }

  function currentItem() {
    var active = document.activeElement;
    var holder = active && active.closest ? active.closest("[data-review-item]") : null;
    if (holder) {
      return holder;
    }
    if (current && document.body.contains(current)) {
      return current;
    }
    return items()[0] || null;
  }

  function isTyping(target) {
    if (!target || !target.tagName) {
      return false;
    }
    if (target.isContentEditable) {
      return true;
    }
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") {
      return true;
    }
    if (tag === "input") {
      var type = (target.getAttribute("type") || "text").toLowerCase();
      return ["checkbox", "radio", "button", "submit", "reset", "hidden"].indexOf(type) === -1;
    }
    return false;
  }

  function move(step) {
    var all = items();
    if (!all.length) {
      return;
    }
    var item = currentItem();
    var index = all.indexOf(item);
    var focusedItem = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("[data-review-item]");
    // The first j on a page whose current claim is not focused yet goes to that claim.
    if (!focusedItem && item) {
      setCurrent(item, true);
      return;
    }
    var next = all[Math.min(Math.max(index + step, 0), all.length - 1)];
    setCurrent(next, true);
  }

  function button(form, decision) {
    return form.querySelector('button[data-decision="' + decision + '"]');
  }

  function decide(decision) {
    var item = currentItem();
    if (!item) {
      return;
    }
    setCurrent(item, false);
    var form = item.querySelector("[data-review-form]");
    if (decision === "approve") {
      var unticked = Array.prototype.filter.call(
        form.querySelectorAll(".review-checks input[type=checkbox]"),
        function (box) { return !box.checked; }
      );
      if (unticked.length) {
        unticked[0].focus();
        announce("Confirm the three checks (Space ticks a box), then press a again.", "hint");
        return;
      }
    } else if (decision === "reject") {
      var reason = form.querySelector("select[name=reason]");
      if (!reason.value) {
        reason.focus();
        announce("Choose a reason, press Esc, then press r again.", "hint");
        return;
      }
      var why = form.querySelector("textarea[name=comment]");
      if (!why.value.trim()) {
        why.focus();
        announce("Tell the author why in the comment, press Esc, then press r again.", "hint");
        return;
      }
    } else if (decision === "request_changes") {
      var comment = form.querySelector("textarea[name=comment]");
      if (!comment.value.trim()) {
        comment.focus();
        announce("Write what should change, press Esc, then press c again.", "hint");
        return;
      }
    }
    form.requestSubmit(button(form, decision));
  }

  var KEYS = {
    j: function () { move(1); },
    k: function () { move(-1); },
    a: function () { decide("approve"); },
    r: function () { decide("reject"); },
    c: function () { decide("request_changes"); }
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey ||
        event.altKey) {
      return;
    }
    var target = event.target;
    if (event.key === "Escape") {
      var holder = target && target.closest ? target.closest("[data-review-item]") : null;
      if (holder && target !== holder) {
        event.preventDefault();
        setCurrent(holder, true);
      }
      return;
    }
    if (isTyping(target) || !Object.prototype.hasOwnProperty.call(KEYS, event.key)) {
      return;
    }
    event.preventDefault();
    KEYS[event.key]();
  });

  document.addEventListener("focusin", function (event) {
    var holder = event.target.closest && event.target.closest("[data-review-item]");
    if (holder && holder !== current) {
      setCurrent(holder, false);
    }
  });

  function updateCounts(count, label) {
    if (typeof count !== "number") {
      return;
    }
    var text = typeof label === "string" ? label : String(count);
    var badge = document.querySelector('[data-testid="queue-count"]');
    if (badge) {
      badge.textContent = text;
    }
    var total = document.querySelector("[data-queue-total]");
    if (total) {
      total.textContent = text;
    }
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function removeItem(item, preferredId) {
    var all = items();
    var index = all.indexOf(item);
    var holder = item.closest("li") || item;
    holder.remove();
    var left = items();
    var next = null;
    if (preferredId) {
      next = document.getElementById("claim-" + preferredId);
    }
    if (!next) {
      next = left[Math.min(index, left.length - 1)] || null;
    }
    if (next) {
      setCurrent(next, true);
      return;
    }
    current = null;
    var empty = document.querySelector("[data-review-empty]");
    if (empty) {
      empty.hidden = false;
    }
  }

  function replaceItem(item, html) {
    var fresh = fragment(html);
    item.replaceWith(fresh);
    setCurrent(fresh, true);
    return fresh;
  }

  function setBusy(form, busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    Array.prototype.forEach.call(form.querySelectorAll("button[data-decision]"), function (b) {
      b.disabled = busy;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-review-form]") || !window.fetch) {
      return;
    }
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return;
    }
    var item = form.closest("[data-review-item]");
    var body = new FormData(form);
    if (event.submitter && event.submitter.name) {
      body.set(event.submitter.name, event.submitter.value);
    }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    setBusy(form, true);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": token ? token.value : ""
      }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // Not an answer of the decide view (an expired session, a server error).
        return { status: response.status, data: {
          detail: "The decision was not recorded (error " + response.status + "). Reload the page."
        } };
      }
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      var data = result.data || {};
      updateCounts(data.queue_count, data.queue_count_label);
      if (result.status === 200) {
        announce(data.message, "success");
        removeItem(item, data.next);
        if (!items().length && data.queue_count > 0) {
          // More claims wait on other pages: load the queue afresh.
          window.location.assign(window.location.pathname);
        }
      } else if (result.status === 400 && data.item_html) {
        var fresh = replaceItem(item, data.item_html);
        announce(data.detail || "The decision was not recorded.", "error");
        var field = null;
        if (fresh.querySelector(".form-errors")) {
          field = fresh.querySelector(".review-checks input[type=checkbox]:not(:checked)");
        }
        var invalid = fresh.querySelector(".field-error");
        if (!field && invalid) {
          field = invalid.parentElement.querySelector("select, textarea, input:not([type=hidden])");
        }
        if (field) {
          field.focus();
        }
      } else if (result.status === 409) {
        announce(data.message || data.detail, "warning");
        if (data.item_html) {
          replaceItem(item, data.item_html);
        } else {
          removeItem(item, null);
        }
      } else {
        setBusy(form, false);
        announce(data.detail || "The decision was not recorded.", "error");
      }
    }).catch(function () {
      setBusy(form, false);
      announce("Could not reach the server; nothing was recorded. Try again.", "error");
    });
  });

  // Start where the server asked (after a decision), else on the first claim.
  var focusId = queue && queue.getAttribute("data-focus");
  var start = focusId && document.getElementById("claim-" + focusId);
  if (start) {
    setCurrent(start, true);
  } else {
    setCurrent(items()[0] || null, false);
  }
})();
