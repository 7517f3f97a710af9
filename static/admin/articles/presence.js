"use strict";
// The article form's heartbeat. Opening the form records nothing (a GET writes nothing): while
// the form is open for editing and in view, this tells the server so, at once and then every
// minute, and shows who else has the story open. When the page goes away (another page, a
// closed tab, a save), it says goodbye, so others stop seeing this user at once rather than
// after five minutes. A read-only form has no heartbeat address, so it sends neither.
(function () {
  const EVERY_MS = 60 * 1000;
  let timer = null;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(element, others) {
    element.replaceChildren();
    if (!others.length) return;
    const label = document.createElement("strong");
    label.textContent = "Also open for editing by:";
    element.append(label, " " + others.map((o) => `${o.name} (${o.seen})`).join(", "));
  }

  function beat(element) {
    fetch(element.dataset.presenceUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => data && show(element, data.others))
      .catch(() => {}); // offline for a moment: the next beat tries again
  }

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  function follow(element) {
    if (document.visibilityState === "visible") {
      beat(element);
      if (timer === null) timer = window.setInterval(() => beat(element), EVERY_MS);
    } else {
      stop();
    }
  }

  // A beacon outlives the page, which a plain fetch would not; the token goes in the body,
  // where Django's CSRF check reads it from a form POST.
  function leave(element) {
    stop();
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    if (!navigator.sendBeacon(element.dataset.presenceEndUrl, body)) {
      fetch(element.dataset.presenceEndUrl, {
        method: "POST",
        credentials: "same-origin",
        body,
        keepalive: true,
      }).catch(() => {}); // gone offline: the session ends by itself after five minutes
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const element = document.querySelector("[data-presence-url]");
    if (!element) return;
    follow(element);
    document.addEventListener("visibilitychange", () => follow(element));
    window.addEventListener("pagehide", () => leave(element));
    // Back from the browser's page cache: the form is open again.
    window.addEventListener("pageshow", (event) => event.persisted && follow(element));
  });
})();
