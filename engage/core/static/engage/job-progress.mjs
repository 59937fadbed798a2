// Keeps an import's page up to date while it runs: asks its status URL every two
// seconds and moves the progress bar and the line of text beneath it. When the import
// has finished (or failed) the page is loaded again to show the report.
// Without JavaScript the page shows the progress as it was, with a "Refresh" link.

const POLL_MS = 2000;
const TAG_COLOURS = { queued: "nhsuk-tag--grey", running: "nhsuk-tag--blue" };

function start(box) {
  const url = box.dataset.statusUrl;
  const bar = box.querySelector("progress");
  const text = box.querySelector("#import-progress-text");
  const tag = document.querySelector("#import-status .nhsuk-tag");
  if (!url || !bar || !text) return;

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const status = await response.json();
        if (status.finished) {
          window.location.reload();
          return;
        }
        if (status.rows_total > 0) {
          bar.max = status.rows_total;
          bar.value = Math.min(status.rows_done, status.rows_total);
          bar.textContent = `${status.percent}%`;
        }
        if (text.textContent !== status.summary) text.textContent = status.summary;
        if (tag && tag.textContent !== status.status_label) {
          tag.textContent = status.status_label;
          tag.className = `nhsuk-tag ${TAG_COLOURS[status.status] || ""}`.trim();
        }
      }
    } catch {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS);
}

const box = document.querySelector("#import-progress[data-status-url]");
if (box) start(box);
