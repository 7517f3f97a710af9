/* Names for the admin's scripted inputs, which screen readers would otherwise announce as
   unnamed: the autocomplete fields (Select2 builds its own combobox next to the labelled,
   hidden <select>) and the rich-text editor (a content-editable area beside the labelled,
   hidden <textarea>). Each is named by its field's label, or in a table row by its column. */
"use strict";
{
  let generated = 0;

  function idOf(element) {
    if (!element.id) {
      generated += 1;
      element.id = `accessible-name-${generated}`;
    }
    return element.id;
  }

  // The label of a form input, or the header of its column in a tabular inline.
  function labelOf(input) {
    const label = input.id && document.querySelector(`label[for="${input.id}"]`);
    if (label) return label;
    const cell = input.closest("td");
    const column = cell && [...cell.classList].find((name) => name.startsWith("field-"));
    const table = cell && cell.closest("table");
    return column && table
      ? table.querySelector(`thead th.column-${column.slice("field-".length)}`)
      : null;
  }

  function nameAutocomplete(container) {
    const select = container.previousElementSibling;
    const combobox = container.querySelector(".select2-selection[role=combobox]");
    const label = select && select.matches("select") && labelOf(select);
    if (!combobox || !label) return;
    const rendered = combobox.querySelector(".select2-selection__rendered");
    // The combobox reads "Source: Dossier Center"; the text showing the choice, "Source".
    combobox.setAttribute(
      "aria-labelledby",
      [idOf(label), rendered && idOf(rendered)].filter(Boolean).join(" ")
    );
    if (rendered) rendered.setAttribute("aria-labelledby", idOf(label));
  }

  function nameEditor(textarea) {
    const editable = textarea.parentElement.querySelector("[contenteditable]");
    const label = labelOf(textarea);
    if (editable && label) editable.setAttribute("aria-labelledby", idOf(label));
  }

  // Select2 builds its combobox once the document is ready, and in each inline row added.
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE && node.matches(".select2-container")) {
          nameAutocomplete(node);
        }
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.querySelectorAll(".select2-container").forEach(nameAutocomplete);

  document.addEventListener("prose-editor:ready", (event) => nameEditor(event.detail.textarea));
  document.querySelectorAll(".prose-editor textarea").forEach(nameEditor);
}
