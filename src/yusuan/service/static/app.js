// yusuan web UI: progressive enhancement only; every page works without it.
(function () {
  "use strict";
  // select boxes that submit their form on change (no inline handlers: CSP)
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // a finding's "show the quote" link: scroll to the quote and flash it
  function flash(id) {
    var marks = document.querySelectorAll('[data-findings~="' + id + '"]');
    var anchor = document.getElementById("q-" + id);
    var first = marks.length ? marks[0] : anchor;
    if (!first) { return; }
    first.scrollIntoView({ block: "center" });
    marks.forEach(function (m) { m.classList.add("flash"); });
    setTimeout(function () { marks.forEach(function (m) { m.classList.remove("flash"); }); }, 2500);
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a[data-quote]");
    if (link) { ev.preventDefault(); flash(link.getAttribute("data-quote")); history.replaceState(null, "", "#q-" + link.getAttribute("data-quote")); }
  });
  if (location.hash.indexOf("#q-") === 0) { flash(location.hash.slice(3)); }
  // an upload job: poll its state until done, then offer the document
  var job = document.getElementById("job");
  if (job && job.getAttribute("data-done") !== "true") {
    var id = job.getAttribute("data-job");
    var poll = function () {
      fetch("/api/v1/jobs/" + id, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          if (!body.ok) { return; }
          var j = body.data;
          document.getElementById("job-progress").value = j.progress;
          if (j.done) { location.reload(); } else {
            var en = document.documentElement.lang === "en";
            document.getElementById("job-state").textContent = (en ? j.state_en : j.state_zh) + " …";
            setTimeout(poll, 500);
          }
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 300);
  }
})();
