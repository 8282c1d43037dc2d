// Keeps a background job's page current: asks the server for the job's status every few seconds,
// moves the progress bar and the sentence under it, and reloads the page once the job has
// finished (so the download link and any message appear). Without JavaScript the page's
// "Refresh" link does the same by hand.
(function () {
  "use strict";
  var section = document.querySelector("[data-job-status-url]");
  if (!section || !window.fetch) return;
  var url = section.getAttribute("data-job-status-url");
  var seconds = parseInt(section.getAttribute("data-job-poll-seconds"), 10) || 3;
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-status-text");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        if (job.finished) {
          window.location.reload();
          return;
        }
        if (job.total > 0) {
          bar.max = job.total;
          bar.value = job.done;
          bar.textContent = Math.floor((job.done * 100) / job.total) + "%";
        }
        if (text.textContent !== job.text) text.textContent = job.text;
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () {
        // A lost connection: try again later, a little less often.
        window.setTimeout(poll, seconds * 3000);
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
