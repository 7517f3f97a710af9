"use strict";
// Suggests existing tags for the last term of a comma-separated tag field, through a <datalist>.
(function () {
  function suggestionsFor(input, list) {
    const terms = input.value.split(",");
    const term = terms.pop().trim();
    const chosen = terms.map((t) => t.trim()).filter(Boolean);
    if (!term) {
      list.replaceChildren();
      return;
    }
    const url = new URL(input.dataset.tagAutocomplete, window.location.href);
    url.search = new URLSearchParams({
      term: term,
      app_label: "articles",
      model_name: "article",
      field_name: input.name,
    });
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => {
        const prefix = chosen.length ? chosen.join(", ") + ", " : "";
        const options = data.results
          .filter((result) => !chosen.includes(result.text))
          .map((result) => {
            const option = document.createElement("option");
            option.value = prefix + result.text;
            return option;
          });
        list.replaceChildren(...options);
      });
  }

  function attach(input) {
    const list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.after(list);
    let timer;
    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => suggestionsFor(input, list), 200);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-tag-autocomplete]").forEach(attach);
  });
})();
