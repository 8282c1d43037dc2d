/* Taking a test with JavaScript: answers are kept in localStorage and saved to the server as a draft as
   they are given; the final submit is sent with fetch so that a lost connection leaves the answers on the
   page with a message instead of an error page. Without JavaScript the plain form works the same way. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var storageKey = form.getAttribute("data-storage-key");
  var timer = null;

  function say(text) { if (status) { status.textContent = text; } }
  function messages() {
    var lang = document.documentElement.lang || "en";
    var all = {
      en: ["Saved.", "Not saved: no connection. Your answers stay on this phone.", "Could not send: check the connection and press the button again."],
      ru: ["Сохранено.", "Не сохранено: нет связи. Ответы остаются на этом телефоне.", "Не удалось отправить: проверьте связь и нажмите кнопку ещё раз."],
      tg: ["Нигоҳ дошта шуд.", "Нигоҳ дошта нашуд: пайвастшавӣ нест. Ҷавобҳо дар ҳамин телефон мемонанд.", "Фиристода нашуд: пайвастшавиро санҷед ва тугмаро боз пахш кунед."],
      ky: ["Сакталды.", "Сакталган жок: байланыш жок. Жоопторуңуз ушул телефондо калат.", "Жөнөтүлгөн жок: байланышты текшерип, баскычты кайра басыңыз."]
    };
    return all[lang] || all.en;
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

  function store() {
    try { window.localStorage.setItem(storageKey, JSON.stringify(snapshot())); } catch (e) { /* storage full or blocked */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved) { return; }
    Object.keys(saved).forEach(function (name) {
      var fields = form.querySelectorAll('[name="' + name + '"]');
      var answered = Array.prototype.some.call(fields, function (el) {
        return (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value !== "";
      });
      if (answered) { return; }  // what the server sent back wins
      Array.prototype.forEach.call(fields, function (el) {
        if (el.type === "radio" || el.type === "checkbox") { el.checked = saved[name].indexOf(el.value) !== -1; }
        else { el.value = saved[name][0] || ""; }
      });
    });
  }

  function saveDraft() {
    fetch(form.getAttribute("data-autosave-url"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { say(response.ok ? messages()[0] : ""); })
      .catch(function () { say(messages()[1]); });
  }

  function changed() {
    store();
    window.clearTimeout(timer);
    timer = window.setTimeout(saveDraft, 1200);
  }

  restore();
  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action || window.location.href, {
      method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.ok && json) {
          return response.json().then(function (data) {
            try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
            window.location.assign(data.redirect);
          });
        }
        // Refused or invalid: let the browser post the form itself so the page shows why, with the answers.
        form.submit();
      })
      .catch(function () {
        say(messages()[2]);
        if (button) { button.disabled = false; }
      });
  });
})();
