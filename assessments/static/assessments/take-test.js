/* Taking a test with JavaScript: answers are kept on the phone (IndexedDB, through the field kit) and
   saved to the server as a draft as they are given; the final submit is sent with fetch. With no
   connection the submit is queued on the phone, with the form's submission token, and sent to
   /api/v1/tests/<delivery>/<phase>/submit/ when the connection returns: the token makes the server
   keep exactly one attempt however often it is sent (docs/field-kit.md). Without JavaScript the plain
   form works the same way. Words come translated from the page (HamkoriFieldKit.t). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  var kit = window.HamkoriFieldKit;
  if (!form || !kit || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var button = form.querySelector("button[type=submit]");
  var storageKey = form.getAttribute("data-storage-key");
  var timer = null;
  var sending = false;

  function say(text, link) {
    if (!status) { return; }
    status.textContent = text;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(anchor);
    }
  }

  function snapshot() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.name === "csrfmiddlewaretoken") { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (!data[el.name]) { data[el.name] = []; }
        if (el.checked) { data[el.name].push(el.value); }
      } else {
        data[el.name] = [el.value];
      }
    });
    return data;
  }

  // The answers as the API takes them: chosen choice ids, or the text (true/false and the scale too).
  function apiAnswers() {
    var answers = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-question]"), function (question) {
      var choices = [];
      var text = "";
      var byChoice = ["single", "multiple"].indexOf(question.getAttribute("data-kind")) !== -1;
      Array.prototype.forEach.call(question.querySelectorAll("input, textarea"), function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          if (!el.checked) { return; }
          if (byChoice) { choices.push(Number(el.value)); } else { text = el.value; }
        } else {
          text = el.value;
        }
      });
      answers[question.getAttribute("data-question")] = { choices: choices, text: text };
    });
    return answers;
  }

  function record() {
    return kit.get("tests", storageKey).catch(function () { return null; }).then(function (found) {
      return found || { id: storageKey, answers: null, queued: null };
    });
  }

  function store() {
    return record().then(function (saved) {
      saved.answers = snapshot();
      return kit.put("tests", saved);
    }).catch(function () { /* storage full or blocked: the draft on the server still has them */ });
  }

  function restore(saved) {
    if (!saved || !saved.answers) { return; }
    Object.keys(saved.answers).forEach(function (name) {
      var fields = form.querySelectorAll('[name="' + name + '"]');
      var answered = Array.prototype.some.call(fields, function (el) {
        return (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value !== "";
      });
      if (answered) { return; }  // what the server sent back wins
      Array.prototype.forEach.call(fields, function (el) {
        if (el.type === "radio" || el.type === "checkbox") { el.checked = saved.answers[name].indexOf(el.value) !== -1; }
        else { el.value = saved.answers[name][0] || ""; }
      });
    });
  }

  function saveDraft() {
    fetch(form.getAttribute("data-autosave-url"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { say(response.ok ? kit.t("answers_saved") : ""); })
      .catch(function () { say(kit.t("answers_kept")); });
  }

  function changed() {
    store();
    window.clearTimeout(timer);
    timer = window.setTimeout(saveDraft, 1200);
  }

  function finished() {
    return kit.remove("tests", storageKey).catch(function () { return null; });
  }

  // No connection: the submission waits on the phone with the token this page was given.
  function queueSubmit() {
    return record().then(function (saved) {
      saved.answers = snapshot();
      saved.queued = { url: form.getAttribute("data-submit-url"), token: form.elements.token.value, answers: apiAnswers() };
      return kit.put("tests", saved);
    }).then(function () { say(kit.t("answers_queued")); });
  }

  function sendQueued(saved) {
    if (sending || !saved || !saved.queued) { return; }
    sending = true;
    if (button) { button.disabled = true; }
    kit.postJson(saved.queued.url, { token: saved.queued.token, answers: saved.queued.answers }).then(function (answer) {
      sending = false;
      if (answer.status === 200) {
        say(answer.data.message || kit.t("answers_sent"));
        return finished().then(function () { window.location.assign(form.getAttribute("data-done-url")); });
      }
      if (answer.status === 401 || answer.status === 403) {
        say(kit.t("answers_queued"), { href: kit.signInHref(), text: kit.t("sign_in") });
        return;
      }
      // Refused (the window closed, say): the server's reason, and the answers stay on the phone.
      say(answer.data.detail || kit.t("answers_failed"));
    }, function () {
      sending = false;
      say(kit.t("answers_queued"));
    });
  }

  record().then(function (saved) {
    restore(saved);
    if (saved.queued) {
      if (button) { button.disabled = true; }
      if (navigator.onLine === false) { say(kit.t("answers_queued")); } else { sendQueued(saved); }
    }
  });
  window.addEventListener("online", function () { record().then(sendQueued); });
  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    if (button) { button.disabled = true; }
    if (navigator.onLine === false) { queueSubmit(); return; }
    fetch(form.action || window.location.href, {
      method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.ok && json) {
          return response.json().then(function (data) {
            return finished().then(function () { window.location.assign(data.redirect); });
          });
        }
        // Refused or invalid: let the browser post the form itself so the page shows why, with the answers.
        HTMLFormElement.prototype.submit.call(form);
      })
      .catch(function () { queueSubmit(); });
  });
})();
