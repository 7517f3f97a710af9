/* Writing aids on the article form (ArticleForm.add_writing_aids marks the fields): counters
   under the headline and the standfirst against what search results and social cards show,
   the body's words, characters and reading time, and the browser's spellcheck in the story's
   language, which follows the language chosen. */
"use strict";
{
  // A line under a field that screen readers announce as it changes and read with the field.
  function counterFor(field, id) {
    const counter = document.createElement("div");
    counter.id = id;
    counter.className = "help writing-counter";
    counter.setAttribute("aria-live", "polite");
    (field.closest(".flex-container") || field).after(counter);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? `${described} ${id}` : id);
    return counter;
  }

  function characters(text) {
    return [...text].length; // what a reader sees as one character, emoji included
  }

  function countLength(field) {
    const places = Object.entries(JSON.parse(field.dataset.displayedLengths));
    const counter = counterFor(field, `${field.id}_length`);
    const update = () => {
      const length = characters(field.value);
      const tooLong = places.some(([, limit]) => length > limit);
      const verdicts = places.map(([place, limit]) =>
        length > limit
          ? `${place} cut it off after about ${limit}`
          : `${place} show it in full (up to about ${limit})`
      );
      counter.textContent = `${length} characters: ${verdicts.join("; ")}.`;
      counter.classList.toggle("writing-counter--too-long", tooLong);
    };
    field.addEventListener("input", update);
    update();
  }

  function countBody(textarea, editor) {
    const editable = textarea.parentElement.querySelector("[contenteditable]") || textarea;
    const counter = counterFor(editable, `${textarea.id}_count`);
    const perMinute = Number(textarea.dataset.wordsPerMinute);
    const update = () => {
      // Words apart by whitespace, as the story page counts them for its reading time.
      const text = editor.getText({ blockSeparator: "\n" });
      const words = text.split(/\s+/).filter(Boolean).length;
      const minutes = words ? Math.max(1, Math.ceil(words / perMinute)) : 0;
      counter.textContent =
        `${words} ${words === 1 ? "word" : "words"}, ` +
        `${characters(text.replace(/\n/g, ""))} characters` +
        (minutes ? `: about ${minutes} min to read.` : ".");
    };
    editor.on("update", update);
    update();
  }

  // The story's language on every field written in it, for the browser's spellcheck.
  function applyLanguage() {
    const choice = document.getElementById("id_language");
    if (!choice) return;
    document.querySelectorAll("[data-in-story-language]").forEach((field) => {
      const editable = field.closest(".prose-editor")?.querySelector("[contenteditable]");
      for (const target of editable ? [field, editable] : [field]) {
        target.lang = choice.value;
        target.spellcheck = true;
      }
    });
  }

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    if (textarea.dataset.wordsPerMinute) countBody(textarea, editor);
    applyLanguage();
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-displayed-lengths]").forEach(countLength);
    document.getElementById("id_language")?.addEventListener("change", applyLanguage);
    applyLanguage();
  });
}
