// A job's page: poll its progress once a second until it is finished, and keep the
// progress bar's ARIA values and its status line in step.
const box = document.getElementById("job-progress");
const bar = document.getElementById("job-bar");
const POLL_MS = 1000;

function show(state) {
  bar.setAttribute("aria-valuenow", String(state.percent));
  bar.setAttribute("aria-valuetext", `${state.percent} %: ${state.done} of ${state.total} articles`);
  bar.querySelector(".progress-fill").style.width = `${state.percent}%`;
  box.querySelector(".job-label").textContent = state.status_label;
  box.querySelector(".job-count").textContent = `${state.done} of ${state.total} articles (${state.percent} %)`;
  const error = box.querySelector(".job-error");
  error.textContent = state.error;
  error.hidden = !state.error;
  box.dataset.finished = state.finished ? "1" : "";
}

async function poll() {
  try {
    const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
    if (response.ok) show(await response.json());
  } catch {
    // A lost answer: the next poll tries again.
  }
  if (!box.dataset.finished) setTimeout(poll, POLL_MS);
}

if (box) {
  // Inline styles are refused by the Content-Security-Policy: the width is set here.
  bar.querySelector(".progress-fill").style.width = `${bar.getAttribute("aria-valuenow")}%`;
  if (!box.dataset.finished) setTimeout(poll, POLL_MS);
}
