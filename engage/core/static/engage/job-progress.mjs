// Keeps a long job's progress up to date while it runs (an import, an analysis): each
// box `.engage-progress[data-status-url]` asks its status URL every two seconds and
// moves its progress bar and the line of text beneath it ([data-progress-text]), and
// the status tag named by `data-status-tag`, if any. When the job has finished (or
// failed) the page is loaded again to show the result.
// Without JavaScript the page shows the progress as it was, with a "Refresh" link.

const POLL_MS = 2000;
const TAG_COLOURS = { queued: "nhsuk-tag--grey", running: "nhsuk-tag--blue" };

function start(box) {
  const url = box.dataset.statusUrl;
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const tag = box.dataset.statusTag ? document.querySelector(box.dataset.statusTag) : null;
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

document.querySelectorAll(".engage-progress[data-status-url]").forEach(start);
