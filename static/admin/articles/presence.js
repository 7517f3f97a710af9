"use strict";
// Keeps this editor's presence on the article alive and shows who else has it open.
(function () {
  const EVERY_MS = 60 * 1000;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(element, others) {
    element.replaceChildren();
    if (!others.length) return;
    const label = document.createElement("strong");
    label.textContent = "Also open for editing by: ";
    element.append(label, others.map((o) => `${o.name} (${o.seen})`).join(", "));
  }

  function beat(element) {
    fetch(element.dataset.presenceUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => data && show(element, data.others));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const element = document.querySelector("[data-presence-url]");
    if (element) window.setInterval(() => beat(element), EVERY_MS);
  });
})();
