// A job's page (a portfolio pack, an import): poll its status and update the progress
// bar in place (announced politely to screen readers) instead of reloading the page,
// then reload once the job has finished, to show what it made. The page's <noscript>
// meta refresh is the fallback without JavaScript.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var bar = box.querySelector(".progress");
  var fill = box.querySelector(".progress-bar");
  fill.style.width = bar.getAttribute("aria-valuenow") + "%";  // not inline: the CSP
  if (box.dataset.done === "true") { return; }
  var status = document.getElementById("job-status");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) {  // signed out meanwhile (401): the page goes to the login
          window.location.reload();
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        bar.setAttribute("aria-valuenow", data.progress);
        fill.style.width = data.progress + "%";
        fill.textContent = data.progress + "%";
        if (data.finished) {
          window.location.reload();
          return;
        }
        status.textContent = data.label + "…";
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();
