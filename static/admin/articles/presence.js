"use strict";
// The article form's heartbeat. Opening the form records nothing (a GET writes nothing): while
// the form is open for editing and in view, this tells the server so, at once and then every
// minute, and shows who else has the story open. A read-only form has no heartbeat address.
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

  function follow(element) {
    if (document.visibilityState === "visible") {
      beat(element);
      if (timer === null) timer = window.setInterval(() => beat(element), EVERY_MS);
    } else if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const element = document.querySelector("[data-presence-url]");
    if (!element) return;
    follow(element);
    document.addEventListener("visibilitychange", () => follow(element));
  });
})();
