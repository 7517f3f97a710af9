"use strict";
// The article form's preview of the story in search results and as a shared card ("Search and
// social"). It follows the fields as the user types, with the page's fall-backs (SEO title,
// else headline; meta description, else standfirst, else headline; social title, else
// headline; social description, else standfirst, else headline: see Article.search_title()
// and its neighbours) and cut where search engines and networks cut (data-shown, in
// characters). The picture comes from the server (data-picture-url), which knows the fall-back
// from the social picture to the lead picture and the default pictures. A read-only form has
// no fields to follow: its preview stays as the server rendered it.
(function () {
  const CUTS = {
    "search-title": "the title in search results",
    "search-description": "the description in search results",
    "social-title": "the card's title",
    "social-description": "the card's description",
  };

  // As Django's truncatechars filter, which rendered the preview first.
  function cut(text, limit) {
    const characters = Array.from(text);
    if (characters.length <= limit) return null;
    return characters.slice(0, limit - 1).join("") + "…";
  }

  function valueOf(form, name) {
    const field = form.elements.namedItem(name);
    return field && typeof field.value === "string" ? field.value.trim() : "";
  }

  function texts(form, siteName) {
    const headline = valueOf(form, "headline");
    const standfirst = valueOf(form, "standfirst");
    return {
      "search-title": `${valueOf(form, "seo_title") || headline} – ${siteName}`,
      "search-description": valueOf(form, "meta_description") || standfirst || headline,
      "social-title": valueOf(form, "social_title") || headline,
      "social-description": valueOf(form, "social_description") || standfirst || headline,
    };
  }

  function showTexts(form, preview) {
    const cutShort = [];
    Object.entries(texts(form, preview.dataset.siteName)).forEach(([name, text]) => {
      const element = preview.querySelector(`[data-preview="${name}"]`);
      const shown = Number(element.dataset.shown);
      const shortened = cut(text, shown);
      element.textContent = shortened || text;
      if (shortened) cutShort.push(`${CUTS[name]} (about ${shown} characters are shown)`);
    });
    const note = preview.querySelector('[data-preview="cuts"]');
    note.textContent = cutShort.length ? `Cut short: ${cutShort.join("; ")}.` : "";
    note.hidden = !cutShort.length;
  }

  // The site's address is this one's: the admin runs on the public site's host.
  function showHost(preview) {
    preview.querySelectorAll('[data-preview="host"]').forEach((element) => {
      element.textContent = window.location.host;
    });
  }

  function showAddress(form, preview) {
    const slugs = JSON.parse(preview.dataset.sectionSlugs);
    const parts = [slugs[valueOf(form, "section")], valueOf(form, "slug")].filter(Boolean);
    const path = preview.querySelector('[data-preview="path"]');
    path.textContent = parts.map((part) => ` › ${part}`).join("");
  }

  function showPicture(preview, picture) {
    const frame = preview.querySelector('[data-preview="picture"]');
    if (!picture) {
      const note = document.createElement("p");
      note.textContent = "No picture: a small card";
      frame.replaceChildren(note);
      return;
    }
    const image = document.createElement("img");
    image.src = picture.src;
    image.width = picture.width;
    image.height = picture.height;
    image.alt = picture.alt;
    frame.replaceChildren(image);
  }

  function pictureQuery(form) {
    const names = ["social_picture", "lead_picture", "section"];
    return new URLSearchParams(names.map((name) => [name, valueOf(form, name)])).toString();
  }

  function follow(form, preview) {
    let shownQuery = pictureQuery(form); // the server rendered the picture for these
    let asked = 0;
    let pending = false;

    function askForPicture() {
      const query = pictureQuery(form);
      if (query === shownQuery) return;
      shownQuery = query;
      const number = ++asked;
      fetch(`${preview.dataset.pictureUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => {
          if (number === asked) showPicture(preview, data.picture); // not an older answer
        })
        .catch(() => {
          shownQuery = null; // ask again at the next change
        });
    }

    function update() {
      pending = false;
      showTexts(form, preview);
      showAddress(form, preview);
      askForPicture();
    }

    // After the event's other listeners, such as the slug filled in from the headline.
    function schedule() {
      if (pending) return;
      pending = true;
      window.setTimeout(update, 0);
    }

    // The admin's autocomplete (select2) announces a choice through jQuery only.
    const jQuery = window.django && window.django.jQuery;
    if (jQuery) {
      jQuery(form).on("input change keyup", schedule);
    } else {
      ["input", "change", "keyup"].forEach((type) => form.addEventListener(type, schedule));
    }
    update();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const preview = document.querySelector("[data-sharing-preview]");
    if (!preview) return;
    showHost(preview);
    const form = preview.closest("form");
    if (form && form.elements.namedItem("seo_title")) follow(form, preview);
  });
})();
