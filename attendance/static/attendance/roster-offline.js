/* The roster without a connection (docs/field-kit.md). A save that cannot reach the server (the phone is
   offline, or the POST fails on the way and the service worker keeps it) becomes marks queued in
   IndexedDB; the queue is sent to /api/v1/attendance/batches/ on page load, when the connection returns and with "Send now". Each queued
   batch carries an idempotency key made when it was queued and reused on every retry, so the server
   applies it once however often the connection drops. Without JavaScript the form posts as always. */
(function () {
  "use strict";
  var kit = window.HamkoriFieldKit;
  var form = document.querySelector("form[data-offline-session]");
  if (!kit || !form || !window.fetch || !window.Promise) { return; }
  var sessionId = Number(form.getAttribute("data-offline-session"));
  var batchUrl = form.getAttribute("data-batch-url");
  var restStatus = form.getAttribute("data-rest-status");
  var box = form.querySelector("[data-offline-queue]");
  var statusLine = box.querySelector("[data-queue-status]");
  var noteLine = box.querySelector("[data-queue-note]");
  var sendButton = box.querySelector("[data-queue-send]");
  var signInLink = box.querySelector("[data-queue-sign-in]");
  var refusalBox = document.querySelector("[data-queue-refusals]");
  var sending = false;
  var retryTimer = null;
  var lastSubmitter = null;

  // The rows on the page: participant id, name, and what this page queued for it.
  var rows = Array.prototype.map.call(form.querySelectorAll("input[name^='v-']"), function (input) {
    var id = Number(input.name.slice(2));
    var legend = document.querySelector("#row-" + id + " legend");
    return { id: id, name: legend ? legend.childNodes[0].textContent.trim() : String(id), queued: null };
  });

  function radio(id, status) {
    return form.querySelector("input[name='status-" + id + "'][value='" + status + "']");
  }

  function noteField(id) { return form.elements["note-" + id]; }

  // The marks a save means, from what the form posts: every row whose status or note differs from what
  // the server showed (its s-/n- fields) or what this page already queued; with "the rest present", only
  // the rows posted unmarked become present, as on the server (attendance.forms.unmarked_participant_ids).
  function marksFromEntries(entries, takenAt) {
    var data = {};
    entries.forEach(function (entry) { data[entry[0]] = entry[1]; });
    var restPresent = data.action === "rest_present";
    var marks = [];
    Object.keys(data).forEach(function (name) {
      if (!/^v-\d+$/.test(name)) { return; }
      var id = Number(name.slice(2));
      var row = rows.filter(function (candidate) { return candidate.id === id; })[0] || { id: id };
      var status = data["status-" + id] || (restPresent ? restStatus : "");
      var note = (data["note-" + id] || "").trim();
      var before = row.queued || { status: data["s-" + id] || "", note: data["n-" + id] || "" };
      if (!status || (status === before.status && note === before.note)) { return; }
      marks.push({ session: sessionId, participant: id, status: status, note: note, taken_at: takenAt });
      row.queued = { status: status, note: note };
    });
    return marks;
  }

  function formEntries(submitter) {
    var entries = [];
    new FormData(form).forEach(function (value, name) { entries.push([name, value]); });
    if (submitter && submitter.name) { entries.push([submitter.name, submitter.value]); }
    return entries;
  }

  // New marks join the batch not yet tried; a batch once sent is never changed, since the server
  // may already hold it under its key.
  function queue(marks) {
    if (!marks.length) { return render(); }
    return kit.all("batches").then(function (batches) {
      var open = batches.filter(function (batch) { return !batch.attempts; })[0];
      if (!open) { open = { key: kit.randomKey(), created: Date.now(), attempts: 0, marks: [], names: {} }; }
      marks.forEach(function (mark) {
        open.marks = open.marks.filter(function (old) {
          return !(old.session === mark.session && old.participant === mark.participant);
        });
        open.marks.push(mark);
      });
      rows.forEach(function (row) { open.names[row.id] = row.name; });
      return kit.put("batches", open);
    }).then(function () { return render(kit.t("queued_offline")); });
  }

  function show(element, visible) { if (visible) { element.removeAttribute("hidden"); } else { element.setAttribute("hidden", ""); } }

  // The status: how many marks wait, and what just happened (queued, sent, or why they cannot go yet).
  function render(message, needsSignIn) {
    return kit.all("batches").then(function (batches) {
      var count = batches.reduce(function (sum, batch) { return sum + batch.marks.length; }, 0);
      statusLine.textContent = count ? kit.t(needsSignIn ? "sign_in_to_send" : "marks_waiting", { count: count }) : "";
      noteLine.textContent = message || "";
      show(box, Boolean(count || message));
      show(sendButton, count > 0 && !needsSignIn);
      show(signInLink, count > 0 && Boolean(needsSignIn));
      window.clearTimeout(retryTimer);
      if (count && !needsSignIn) { retryTimer = window.setTimeout(send, 30000); }
      return count;
    });
  }

  function showRefusals(refusals) {
    if (!refusals.length) { return; }
    var list = refusalBox.querySelector("ul");
    refusals.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    show(refusalBox, true);
  }

  function sendBatch(batch) {
    batch.attempts += 1;
    return kit.put("batches", batch).then(function () {
      return kit.postJson(batchUrl, { idempotency_key: batch.key, marks: batch.marks });
    }).then(function (answer) {
      if (answer.status === 401 || answer.status === 403) { throw { signIn: true }; }
      if (answer.status !== 200) { throw { detail: answer.data.detail || String(answer.status) }; }
      var refusals = (answer.data.results || []).filter(function (result) {
        return result.outcome === "refused";
      }).map(function (result) {
        var name = batch.names[result.participant] || String(result.participant);
        return kit.t("refused_row", { name: name, reason: result.reason });
      });
      return kit.remove("batches", batch.key).then(function () {
        return { sent: batch.marks.length - refusals.length, refusals: refusals };
      });
    });
  }

  // Batches go one after another, oldest first; the first failure stops the round and keeps the rest.
  function send() {
    if (sending) { return Promise.resolve(); }
    sending = true;
    var sent = 0;
    var refusals = [];
    return kit.all("batches").then(function (batches) {
      if (!batches.length) { return null; }
      noteLine.textContent = kit.t("sending");
      batches.sort(function (a, b) { return a.created - b.created; });
      return batches.reduce(function (previous, batch) {
        return previous.then(function () {
          return sendBatch(batch).then(function (outcome) {
            sent += outcome.sent;
            refusals = refusals.concat(outcome.refusals);
          });
        });
      }, Promise.resolve()).then(function () {
        showRefusals(refusals);
        return render(sent ? kit.t("marks_sent", { count: sent }) : "");
      });
    }).catch(function (problem) {
      if (problem && problem.signIn) { return render("", true); }
      return render(problem && problem.detail ? problem.detail : kit.t("send_failed"));
    }).then(function () { sending = false; }, function () { sending = false; });
  }

  // What is queued for this session shows on the page, also when it was opened from the phone's cache.
  function showQueued() {
    return kit.all("batches").then(function (batches) {
      batches.forEach(function (batch) {
        batch.marks.forEach(function (mark) {
          if (mark.session !== sessionId) { return; }
          var input = radio(mark.participant, mark.status);
          if (input) { input.checked = true; }
          if (noteField(mark.participant)) { noteField(mark.participant).value = mark.note; }
          rows.forEach(function (row) {
            if (row.id === mark.participant) { row.queued = { status: mark.status, note: mark.note }; }
          });
        });
      });
    });
  }

  form.addEventListener("click", function (event) {
    if (event.target.type === "submit") { lastSubmitter = event.target; }
  });

  // Offline, a save is queued here; online it posts as always, and if the POST fails on the way the
  // worker keeps it (a pending form) and brings the phone back here, where it is queued on load.
  form.addEventListener("submit", function (event) {
    if (navigator.onLine !== false) { return; }
    event.preventDefault();
    var entries = formEntries(event.submitter || lastSubmitter);
    if (entries.some(function (entry) { return entry[0] === "action" && entry[1] === "rest_present"; })) {
      rows.forEach(function (row) {
        if (!form.querySelector("input[name='status-" + row.id + "']:checked")) { radio(row.id, restStatus).checked = true; }
      });
    }
    queue(marksFromEntries(entries, new Date().toISOString()));
  });

  function queuePendingForms() {
    var path = new URL(form.getAttribute("action"), window.location.href).pathname;
    return kit.all("forms").then(function (forms) {
      return forms.filter(function (pending) { return pending.path === path; }).reduce(function (previous, pending) {
        return previous.then(function () {
          return queue(marksFromEntries(pending.entries, pending.takenAt));
        }).then(function () { return kit.remove("forms", pending.id); });
      }, Promise.resolve());
    });
  }

  sendButton.addEventListener("click", function () { send(); });
  window.addEventListener("online", function () { send(); });
  showQueued().then(queuePendingForms).then(showQueued).then(function () { return render(); }).then(function (count) {
    if (count && navigator.onLine !== false) { send(); }
  });
})();
