/* The story body's blocks in the rich-text editor (docs/editors-guide.md, "Inserting blocks"):
   a picture from the library, an embed, a pull quote, a fact box and a "Read more" link. Each
   is an atom node stored as the HTML the server renders (the body-blocks contract), inserted
   and edited through a dialog. django-prose-editor loads this module by the names it exports
   (DJANGO_PROSE_EDITOR_EXTENSIONS in the settings; the body field lists them). The endpoints
   it calls are on the body's textarea (ArticleForm.add_block_tools). */
import { Node, Plugin, crel } from "django-prose-editor/editor";

// What the page tells the blocks

function textareaOf(editor) {
  return editor.options.element.querySelector("textarea");
}

function setting(editor, name) {
  return textareaOf(editor)?.dataset[name] || "";
}

function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
}

// Pictures the editor has heard of (search results, uploads, those already in the story), by
// id: the stored block holds only the id, alt text, caption and size.
const pictures = new Map();

const editorsRead = new WeakSet();

function rememberPictures(editor) {
  if (editorsRead.has(editor)) return;
  editorsRead.add(editor);
  const known = setting(editor, "bodyPictures");
  for (const picture of known ? JSON.parse(known) : []) pictures.set(String(picture.id), picture);
}

async function getJSON(url, params) {
  const address = new URL(url, window.location.href);
  address.search = new URLSearchParams(params);
  const response = await fetch(address, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`${response.status}`);
  return response.json();
}

// Answers {status, data}; data is null when the answer is not JSON (a proxy's error page).
async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    body,
  });
  const data = await response.json().catch(() => null);
  return { status: response.status, data };
}

const UNREACHABLE = "The newsroom's server did not answer. Check your connection and try again.";

// Where the editor puts the browser's selection for its own (as ProseMirror's EditorView does).
function domSelectionOf(view) {
  const { anchor, head } = view.state.selection;
  const at = (pos) => view.domAtPos(pos, pos ? -1 : 1);
  return { anchor: at(anchor), head: head === anchor ? at(anchor) : at(head) };
}

// Focus on the body, the browser's selection in it where the editor's is: the editor writes
// its own selection to the page only once focused, and otherwise takes the browser's for it.
// (At the body's start, that was the start of the body whenever the editor read it first.)
function focusBody(editor) {
  const { view } = editor;
  if (view.hasFocus()) return;
  const { anchor, head } = domSelectionOf(view);
  window.getSelection()?.setBaseAndExtent(anchor.node, anchor.offset, head.node, head.offset);
  view.focus();
}

// Dialogs: a native <dialog> with labelled fields and each field's errors beside it. Escape
// or Cancel closes it and puts the cursor back in the body.

let dialogCount = 0;

function blockDialog(editor, { title, submitText }) {
  const id = `body-block-dialog-${++dialogCount}`;
  const heading = crel("h2", { id: `${id}-heading`, textContent: title });
  const problem = crel("p", { className: "errornote", id: `${id}-problem`, hidden: true });
  const fields = crel("div", { className: "body-block-dialog__fields" });
  const submit = crel("button", { type: "submit", className: "button default", textContent: submitText });
  const cancel = crel("button", { type: "button", className: "button", textContent: "Cancel" });
  const buttons = crel("div", { className: "body-block-dialog__buttons" }, [submit, cancel]);
  const form = crel("form", { method: "dialog", noValidate: true }, [heading, problem, fields, buttons]);
  const dialog = crel("dialog", { className: "body-block-dialog", "aria-labelledby": heading.id }, [form]);
  const inputs = {};

  function field(name, label, options = {}) {
    const { type = "text", value = "", required = false, help = "", choices = null } = options;
    const fieldId = `${id}-${name}`;
    let input;
    if (type === "textarea") {
      input = crel("textarea", { id: fieldId, name, rows: options.rows || 3, value });
    } else if (choices) {
      input = crel(
        "select",
        { id: fieldId, name },
        choices.map(([optionValue, text]) => crel("option", { value: optionValue, textContent: text }))
      );
      input.value = value || choices[0][0];
    } else {
      input = crel("input", { id: fieldId, name, type, value });
    }
    input.required = required;
    const labelText = required ? `${label} (required)` : label;
    const wrapper = crel("div", { className: `body-block-dialog__field body-block-dialog__field--${name}` }, [
      crel("label", { htmlFor: fieldId, textContent: labelText }),
      input,
    ]);
    const described = [];
    if (help) {
      wrapper.append(crel("p", { className: "help", id: `${fieldId}-help`, textContent: help }));
      described.push(`${fieldId}-help`);
    }
    const error = crel("p", { className: "body-block-dialog__error", id: `${fieldId}-error`, hidden: true });
    wrapper.append(error);
    described.push(error.id);
    input.setAttribute("aria-describedby", described.join(" "));
    inputs[name] = { input, error, wrapper };
    (options.within || fields).append(wrapper);
    return input;
  }

  function clearErrors() {
    problem.hidden = true;
    problem.textContent = "";
    for (const { input, error } of Object.values(inputs)) {
      input.removeAttribute("aria-invalid");
      error.hidden = true;
      error.textContent = "";
    }
  }

  // Errors as the server gives them: {field: [message, …]}; those of no field go on top.
  function showErrors(errors) {
    let first = null;
    const general = [];
    for (const [name, messages] of Object.entries(errors)) {
      const text = [].concat(messages).join(" ");
      const target = inputs[name];
      if (target && !target.wrapper.hidden) {
        target.error.textContent = text;
        target.error.hidden = false;
        target.input.setAttribute("aria-invalid", "true");
        first = first || target.input;
      } else {
        general.push(text);
      }
    }
    if (general.length) {
      problem.textContent = general.join(" ");
      problem.hidden = false;
    }
    if (first) first.focus();
    else {
      problem.tabIndex = -1;
      problem.focus();
    }
  }

  // `onSubmit` answers true when done (the dialog closes) or an object of errors to show.
  function open(onSubmit) {
    // Where the cursor goes back to: where it was, or on what the dialog inserted.
    let bookmark = editor.state.selection.getBookmark();
    document.body.append(dialog);
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      focusBody(editor);
      const { state, view } = editor;
      view.dispatch(state.tr.setSelection(bookmark.resolve(state.doc)).scrollIntoView());
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors();
      submit.disabled = true;
      let outcome;
      try {
        outcome = await onSubmit();
      } catch {
        outcome = { __all__: [UNREACHABLE] };
      }
      submit.disabled = false;
      if (outcome === true) {
        bookmark = editor.state.selection.getBookmark();
        dialog.close();
      }
      else showErrors(outcome);
    });
    // Closing the dialog would focus what had the focus, the body, with the caret at its
    // start; the close handler puts the cursor back itself.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    dialog.showModal();
  }

  return { dialog, form, fields, inputs, field, open, heading };
}

function required(value, message) {
  return value.trim() ? null : [message];
}

// Collects {field: [message]} for the checks that failed; null when all passed.
function problems(checks) {
  const found = Object.fromEntries(Object.entries(checks).filter(([, failed]) => failed));
  return Object.keys(found).length ? found : null;
}

// A search field with a list of results under it that arrow keys move through (a combobox).
function searchList(dialog, { name, label, help, search, describe, onPick }) {
  const input = dialog.field(name, label, { type: "search", help });
  const listId = `${input.id}-results`;
  const list = crel("ul", { id: listId, className: "body-block-results", role: "listbox", "aria-label": `${label}: results` });
  const status = crel("p", { className: "help", role: "status" });
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("aria-expanded", "false");
  input.autocomplete = "off";
  input.closest(".body-block-dialog__field").append(status, list);
  let results = [];
  let active = -1;
  let timer;
  let asked = 0;

  function highlight(index) {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, i) => {
      option.classList.toggle("is-active", i === index);
    });
    const option = list.children[index];
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(index) {
    const result = results[index];
    if (!result) return;
    list.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
    });
    onPick(result);
  }

  async function run() {
    const question = ++asked;
    let data;
    try {
      data = await search(input.value.trim());
    } catch {
      status.textContent = "The search did not answer; try again.";
      return;
    }
    if (question !== asked) return; // a newer search is under way
    results = data.results;
    list.replaceChildren(
      ...results.map((result, i) => {
        const option = crel("li", { id: `${listId}-${i}`, role: "option", "aria-selected": "false" }, describe(result));
        option.addEventListener("click", () => pick(i));
        return option;
      })
    );
    input.setAttribute("aria-expanded", String(results.length > 0));
    status.textContent = results.length
      ? `${results.length} found; use the arrow keys and Enter to choose.`
      : "Nothing found.";
    highlight(-1);
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 200);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!results.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + results.length) % results.length);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault(); // choosing, not submitting the dialog
      pick(active);
    }
  });
  return { input, run };
}

// The blocks

const SIZES = [
  ["inline", "Inline (the width of the text)"],
  ["wide", "Wide (wider than the text)"],
  ["full", "Full width (the whole window)"],
];
const DEFAULT_FACT_BOX_TITLE = "Key facts";

function lines(text) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

function kind(text) {
  return crel("span", { className: "body-block__kind", textContent: text });
}

function line(className, text) {
  return crel("p", { className, textContent: text });
}

function sameOrigin(url) {
  try {
    return new URL(url, window.location.href).origin === window.location.origin;
  } catch {
    return false;
  }
}

function creditLine(picture) {
  return picture?.credit ? `Credit: ${picture.credit}` : "";
}

function pictureThumbnail(picture) {
  return crel("img", {
    className: "body-block__thumbnail",
    src: picture.thumbnail,
    alt: "",
    width: 120,
    height: picture.width && picture.height ? Math.round((120 * picture.height) / picture.width) : 80,
  });
}

const PICTURE = {
  name: "bodyPicture",
  label: "Insert a picture from the library",
  icon: "add_photo_alternate",
  tag: "figure[data-image]",
  attributes: {
    image: { default: null, parseHTML: (el) => el.getAttribute("data-image") },
    size: { default: "inline", parseHTML: (el) => el.getAttribute("data-size") || "inline" },
    alt: { default: "", parseHTML: (el) => el.getAttribute("data-alt") || "" },
    caption: { default: "", parseHTML: (el) => el.getAttribute("data-caption") || "" },
  },
  render: ({ image, size, alt, caption }) => [
    "figure",
    { "data-image": image, "data-size": size, "data-alt": alt, ...(caption ? { "data-caption": caption } : {}) },
  ],
  view({ image, size, alt, caption }) {
    const picture = pictures.get(String(image));
    const sizeName = (SIZES.find(([value]) => value === size) || SIZES[0])[1].split(" (")[0];
    return [
      kind(`Picture · ${sizeName}`),
      picture?.thumbnail
        ? pictureThumbnail(picture)
        : crel("span", { className: "body-block__no-thumbnail", textContent: `Picture ${image}` }),
      line("body-block__alt", `Alt text: ${alt}`),
      caption ? line("body-block__caption", caption) : "",
      picture?.credit ? line("body-block__credit", creditLine(picture)) : "",
    ];
  },
  dialog(editor, attrs, done) {
    const editing = Boolean(attrs);
    const d = blockDialog(editor, {
      title: editing ? "Edit the picture" : "Insert a picture",
      submitText: editing ? "Update" : "Insert",
    });
    let chosen = editing ? pictures.get(String(attrs.image)) || { id: attrs.image } : null;
    const creditKinds = JSON.parse(setting(editor, "creditKinds") || "[]");

    const library = crel("fieldset", { className: "body-block-dialog__group" }, [
      crel("legend", { textContent: "Choose from the library" }),
    ]);
    const grid = crel("ul", { className: "body-picture-grid", "aria-label": "Pictures in the library" });
    const found = crel("p", { className: "help", role: "status" });
    const upload = crel("fieldset", { className: "body-block-dialog__group" }, [
      crel("legend", { textContent: "Or upload a new picture" }),
    ]);
    const chosenLine = crel("p", { className: "body-picture-chosen", role: "status" });
    d.fields.append(library, upload, chosenLine);

    const search = d.field("q", "Search the library", {
      type: "search",
      help: "Words from the picture's title, alt text, caption or credit.",
      within: library,
    });
    library.append(found, grid);
    const file = d.field("file", "Picture file", {
      type: "file",
      help: "A JPEG, PNG, WebP or GIF. Choosing one uploads it to the library when you insert.",
      within: upload,
    });
    file.accept = "image/jpeg,image/png,image/webp,image/gif";
    const credit = d.field("credit", "Credit", {
      help: "Who owns the rights, as it should be printed, such as “Jane Doe/Reuters”.",
      within: upload,
    });
    const creditKind = creditKinds.length
      ? d.field("credit_kind", "Credit kind", { choices: creditKinds, within: upload })
      : null;
    const alt = d.field("alt", "Alt text", {
      required: true,
      value: attrs?.alt || "",
      help: "Describe the picture for readers who can't see it: who or what is shown and what matters.",
    });
    const caption = d.field("caption", "Caption", {
      type: "textarea",
      rows: 2,
      value: attrs?.caption || "",
      help: "Shown under the picture in this story.",
    });
    const size = d.field("size", "Size", { choices: SIZES, value: attrs?.size || "inline" });

    function showChosen() {
      const uploading = file.files.length > 0;
      d.inputs.credit.wrapper.hidden = !uploading;
      if (d.inputs.credit_kind) d.inputs.credit_kind.wrapper.hidden = !uploading;
      if (uploading) chosenLine.textContent = `To upload: ${file.files[0].name}.`;
      else if (chosen) {
        const credited = creditLine(chosen);
        chosenLine.textContent = `Chosen: ${chosen.title || `picture ${chosen.id}`}.${credited ? ` ${credited} (from the library).` : ""}`;
      } else chosenLine.textContent = "No picture chosen yet.";
      grid.querySelectorAll("button").forEach((button) => {
        button.setAttribute("aria-pressed", String(!uploading && button.dataset.id === String(chosen?.id)));
      });
    }

    function prefill(picture) {
      // Prefilled from the picture; what the editor typed for this story stays.
      if (!alt.value.trim() || alt.dataset.prefilled === "true") {
        alt.value = picture.alt || "";
        alt.dataset.prefilled = "true";
      }
      if (!caption.value.trim() || caption.dataset.prefilled === "true") {
        caption.value = picture.caption || "";
        caption.dataset.prefilled = "true";
      }
    }
    alt.addEventListener("input", () => (alt.dataset.prefilled = "false"));
    caption.addEventListener("input", () => (caption.dataset.prefilled = "false"));

    function choose(picture) {
      chosen = picture;
      file.value = "";
      prefill(picture);
      showChosen();
    }

    let asked = 0;
    async function find() {
      const question = ++asked;
      let data;
      try {
        data = await getJSON(setting(editor, "bodyPicturesUrl"), { q: search.value.trim() });
      } catch {
        found.textContent = "The library did not answer; try again.";
        return;
      }
      if (question !== asked) return;
      for (const picture of data.results) pictures.set(String(picture.id), picture);
      found.textContent = data.results.length
        ? `${data.results.length} ${data.results.length === 1 ? "picture" : "pictures"}, newest first.`
        : "No picture matches.";
      grid.replaceChildren(
        ...data.results.map((picture) => {
          const button = crel("button", { type: "button", className: "body-picture-grid__choice", "aria-pressed": "false", "data-id": String(picture.id) }, [
            pictureThumbnail(picture),
            crel("span", { textContent: picture.title || picture.alt }),
          ]);
          button.addEventListener("click", () => choose(pictures.get(String(picture.id))));
          return crel("li", {}, [button]);
        })
      );
      showChosen();
    }
    let timer;
    search.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(find, 200);
    });
    file.addEventListener("change", () => {
      if (file.files.length) {
        for (const input of [alt, caption]) if (input.dataset.prefilled === "true") input.value = "";
      }
      showChosen();
    });

    async function uploaded() {
      const body = new FormData();
      body.append("file", file.files[0]);
      body.append("alt", alt.value.trim());
      body.append("caption", caption.value.trim());
      body.append("credit", credit.value.trim());
      if (creditKind) body.append("credit_kind", creditKind.value);
      const { status, data } = await post(setting(editor, "bodyPicturesUrl"), body);
      if (status === 201 && data) return { picture: data };
      if (status === 400 && data?.errors) return { errors: data.errors };
      if (status === 403) return { errors: { __all__: ["You may not add pictures to the library."] } };
      return { errors: { __all__: [UNREACHABLE] } };
    }

    d.open(async () => {
      const uploading = file.files.length > 0;
      const invalid = problems({
        alt: required(alt.value, "Describe the picture for readers who can't see it."),
        q: !uploading && !chosen ? ["Choose a picture from the library, or upload one."] : null,
      });
      if (invalid) return invalid;
      let picture = chosen;
      if (uploading) {
        const outcome = await uploaded();
        if (outcome.errors) return outcome.errors;
        picture = outcome.picture;
        pictures.set(String(picture.id), picture);
      }
      done({ image: String(picture.id), alt: alt.value.trim(), caption: caption.value.trim(), size: size.value });
      return true;
    });
    showChosen();
    find();
  },
};

const EMBED_ATTRIBUTES = ["data-embed", "data-provider", "data-title", "data-author", "data-thumbnail", "data-frame"];

// Asks the server to check a link against the allowlist and fetch its oEmbed metadata.
async function fetchEmbed(editor, url) {
  const body = new FormData();
  body.append("url", url);
  return post(setting(editor, "embedUrl"), body);
}

const EMBED = {
  name: "bodyEmbed",
  label: "Insert an embed (YouTube, Vimeo, X…)",
  icon: "smart_display",
  tag: "figure[data-embed]",
  attributes: Object.fromEntries(
    EMBED_ATTRIBUTES.map((name) => [name, { default: null, parseHTML: (el) => el.getAttribute(name) }])
  ),
  // Exactly what the server answered, in the contract's order.
  render: (attrs) => [
    "figure",
    Object.fromEntries(EMBED_ATTRIBUTES.filter((name) => attrs[name] != null).map((name) => [name, attrs[name]])),
  ],
  view(attrs) {
    const provider = attrs["data-provider"] || "Embed";
    const thumbnail = attrs["data-thumbnail"];
    return [
      kind(`Embed · ${provider}`),
      // The provider's own thumbnail would be a request to it (and the admin's policy loads
      // pictures from this site only); readers see it on the page.
      thumbnail && sameOrigin(thumbnail)
        ? crel("img", { className: "body-block__thumbnail", src: thumbnail, alt: "", width: 120, height: 68 })
        : crel("span", {
            className: "body-block__no-thumbnail",
            textContent: thumbnail ? `${provider} thumbnail` : "No thumbnail",
          }),
      line("body-block__title", attrs["data-title"] || attrs["data-embed"]),
      attrs["data-author"] ? line("body-block__author", `by ${attrs["data-author"]}`) : "",
      line("body-block__url", attrs["data-embed"]),
    ];
  },
  dialog(editor, attrs, done) {
    const d = blockDialog(editor, { title: attrs ? "Change the embed" : "Insert an embed", submitText: attrs ? "Update" : "Insert" });
    const url = d.field("url", "Link to embed", {
      type: "url",
      required: true,
      value: attrs?.["data-embed"] || "",
      help: "The address of the video, post or chart, as you would share it, such as https://www.youtube.com/watch?v=…",
    });
    d.open(async () => {
      const invalid = problems({ url: required(url.value, "Paste the link to the video, post or chart.") });
      if (invalid) return invalid;
      const { status, data } = await fetchEmbed(editor, url.value.trim());
      if (status === 200 && data?.attrs) {
        done(data.attrs);
        return true;
      }
      if (status === 400 && data?.error) return { url: [data.error] };
      return { __all__: [UNREACHABLE] };
    });
  },
  // A link pasted alone into an empty paragraph becomes an embed when the server accepts it;
  // any other link stays an ordinary link.
  plugins(editor, type) {
    return [
      new Plugin({
        props: {
          handlePaste(view, event) {
            const text = event.clipboardData?.getData("text/plain")?.trim() || "";
            const { $from, empty } = view.state.selection;
            if (!/^https?:\/\/\S+$/.test(text) || !empty) return false;
            if ($from.parent.type.name !== "paragraph" || $from.parent.content.size) return false;
            embedPastedLink(editor, type, text, $from.before());
            return false; // pasted as usual first
          },
        },
      }),
    ];
  },
};

function announce(editor, message) {
  let status = editor.options.element.querySelector(".body-block-status");
  if (!status) {
    status = crel("p", { className: "body-block-status", role: "status" });
    editor.options.element.append(status);
  }
  status.textContent = message;
}

async function embedPastedLink(editor, type, url, near) {
  if (!setting(editor, "embedUrl")) return;
  let answer;
  try {
    answer = await fetchEmbed(editor, url);
  } catch {
    return; // the link stays a link
  }
  if (answer.status !== 200 || !answer.data?.attrs) return;
  // The paragraph holding just the pasted link, the one nearest where it was pasted.
  let target = null;
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name === "paragraph" && node.textContent.trim() === url) {
      if (!target || Math.abs(pos - near) < Math.abs(target.pos - near)) target = { node, pos };
    }
    return !target || node.isBlock;
  });
  if (!target) return;
  editor
    .chain()
    .command(({ tr }) => {
      tr.replaceWith(target.pos, target.pos + target.node.nodeSize, type.create(answer.data.attrs));
      return true;
    })
    .run();
  announce(editor, `The link became a ${answer.data.attrs["data-provider"] || "provider's"} embed.`);
}

const PULL_QUOTE = {
  name: "pullQuote",
  label: "Insert a pull quote",
  icon: "record_voice_over",
  tag: 'figure[data-block="pull-quote"]',
  attributes: {
    quote: {
      default: "",
      parseHTML: (el) =>
        [...el.querySelectorAll("blockquote p")].map((p) => p.textContent.trim()).join("\n") ||
        el.querySelector("blockquote")?.textContent.trim() ||
        "",
    },
    attribution: { default: "", parseHTML: (el) => el.querySelector("figcaption")?.textContent.trim() || "" },
  },
  render: ({ quote, attribution }) => [
    "figure",
    { "data-block": "pull-quote" },
    ["blockquote", ...lines(quote).map((text) => ["p", text])],
    ...(attribution ? [["figcaption", attribution]] : []),
  ],
  view: ({ quote, attribution }) => [
    kind("Pull quote"),
    crel("blockquote", {}, lines(quote).map((text) => crel("p", { textContent: text }))),
    attribution ? line("body-block__attribution", `— ${attribution}`) : "",
  ],
  dialog(editor, attrs, done) {
    const d = blockDialog(editor, { title: attrs ? "Edit the pull quote" : "Insert a pull quote", submitText: attrs ? "Update" : "Insert" });
    const quote = d.field("quote", "Quote", { type: "textarea", required: true, value: attrs?.quote || "", help: "The words, without quotation marks." });
    const attribution = d.field("attribution", "Attribution", { value: attrs?.attribution || "", help: "Who said it, such as “Maria Petrova, FSO guard”. Optional." });
    d.open(async () => {
      const invalid = problems({ quote: required(quote.value, "Type the quote.") });
      if (invalid) return invalid;
      done({ quote: lines(quote.value).join("\n"), attribution: attribution.value.trim() });
      return true;
    });
  },
};

const FACT_BOX = {
  name: "factBox",
  label: "Insert a fact box",
  icon: "fact_check",
  tag: 'aside[data-block="fact-box"]',
  attributes: {
    title: {
      default: DEFAULT_FACT_BOX_TITLE,
      parseHTML: (el) => el.querySelector("h2")?.textContent.trim() || DEFAULT_FACT_BOX_TITLE,
    },
    items: {
      default: [],
      parseHTML: (el) => [...el.querySelectorAll("li")].map((li) => li.textContent.trim()).filter(Boolean),
    },
  },
  render: ({ title, items }) => ["aside", { "data-block": "fact-box" }, ["h2", title], ["ul", ...items.map((item) => ["li", item])]],
  view: ({ title, items }) => [
    kind("Fact box"),
    crel("p", { className: "body-block__title", textContent: title }),
    crel("ul", {}, items.map((item) => crel("li", { textContent: item }))),
  ],
  dialog(editor, attrs, done) {
    const d = blockDialog(editor, { title: attrs ? "Edit the fact box" : "Insert a fact box", submitText: attrs ? "Update" : "Insert" });
    const title = d.field("title", "Title", { required: true, value: attrs?.title || DEFAULT_FACT_BOX_TITLE });
    const items = d.field("items", "Facts", {
      type: "textarea",
      rows: 5,
      required: true,
      value: (attrs?.items || []).join("\n"),
      help: "One fact per line, in plain text.",
    });
    d.open(async () => {
      const invalid = problems({
        title: required(title.value, "Give the box a title, such as “Key facts”."),
        items: lines(items.value).length ? null : ["Type at least one fact."],
      });
      if (invalid) return invalid;
      done({ title: title.value.trim(), items: lines(items.value) });
      return true;
    });
  },
};

const READ_MORE = {
  name: "readMore",
  label: "Insert a “Read more” link to another story",
  icon: "read_more",
  tag: "aside[data-read-more]",
  attributes: {
    story: { default: null, parseHTML: (el) => el.getAttribute("data-read-more") },
    url: { default: "", parseHTML: (el) => el.querySelector("a")?.getAttribute("href") || "" },
    headline: { default: "", parseHTML: (el) => el.querySelector("a")?.textContent.trim() || "" },
  },
  render: ({ story, url, headline }) => ["aside", { "data-read-more": story }, ["a", { href: url }, headline]],
  view: ({ headline, url }) => [kind("Read more"), line("body-block__title", headline), line("body-block__url", url)],
  dialog(editor, attrs, done) {
    const d = blockDialog(editor, { title: attrs ? "Change the “Read more” link" : "Insert a “Read more” link", submitText: attrs ? "Update" : "Insert" });
    let chosen = attrs ? { id: attrs.story, headline: attrs.headline, url: attrs.url } : null;
    const chosenLine = crel("p", { className: "body-picture-chosen", role: "status" });
    const showChosen = () => {
      chosenLine.textContent = chosen ? `Chosen: ${chosen.headline}` : "No story chosen yet.";
    };
    searchList(d, {
      name: "story",
      label: "Story",
      help: "Type words of its headline; published stories only, newest first.",
      search: (q) => getJSON(setting(editor, "readMoreUrl"), { q }),
      describe: (story) => [
        crel("span", { className: "body-block-results__headline", textContent: story.headline }),
        crel("span", { className: "body-block-results__meta", textContent: ` ${story.section}` }),
      ],
      onPick(story) {
        chosen = story;
        showChosen();
      },
    });
    d.fields.append(chosenLine);
    showChosen();
    d.open(async () => {
      const invalid = problems({ story: chosen ? null : ["Choose a published story from the list."] });
      if (invalid) return invalid;
      done({ story: String(chosen.id), url: chosen.url, headline: chosen.headline });
      return true;
    });
  },
};

// One block as a Tiptap node: parsed from and rendered to its stored HTML, shown as a card
// that a double click, or Enter when it is selected, opens for editing.

function openDialog(editor, block, node = null, getPos = null) {
  const type = editor.schema.nodes[block.name];
  block.dialog(editor, node ? node.attrs : null, (attrs) => {
    const chain = editor.chain().focus();
    if (node && getPos) {
      const pos = getPos();
      chain
        .command(({ tr }) => {
          tr.setNodeMarkup(pos, type, attrs);
          return true;
        })
        .setNodeSelection(pos)
        .run();
    } else {
      // Beside a selected block rather than over it.
      const { selection } = editor.state;
      const content = { type: block.name, attrs };
      if (selection.node) chain.insertContentAt(selection.to, content).run();
      else chain.insertContent(content).run();
    }
  });
}

// Chromium and a block selected between two blocks. The editor shows a selected block (and a
// gap cursor) with the browser's selection around it (or at it) among the body's children.
// Where the neighbours on both sides are blocks, neither of them editable, Chromium holds no
// caret there: a moment later, or at the next key or mouse press, it moves that selection to
// the body's first editable place, often firing no selectionchange. The editor re-reads the
// browser's selection when it hears one and before it handles a key, and so took the start of
// the body for the selection: Enter, typing or a paste went there. Until the person presses a
// key or the mouse, this puts the browser's selection back where the editor had put it before
// the editor reads it; their own keys and clicks still move it as usual.
const guardedViews = new WeakSet();
const MODIFIER_KEYS = new Set(["Shift", "Control", "Alt", "Meta", "AltGraph", "CapsLock"]);

function guardSelectionBetweenBlocks(view) {
  if (guardedViews.has(view)) return null;
  guardedViews.add(view);
  let pressed = false; // a key or the mouse pressed since the editor last placed the selection
  const domSelection = () => view.root.getSelection?.() || document.getSelection();

  // Answers whether the browser's selection is where the editor put it.
  function restore() {
    const { selection } = view.state;
    const current = domSelection();
    if (selection.visible !== false || !view.hasFocus() || !current?.rangeCount) return false;
    const { anchor, head } = domSelectionOf(view);
    if (
      current.anchorNode === anchor.node && current.anchorOffset === anchor.offset &&
      current.focusNode === head.node && current.focusOffset === head.offset
    ) return true;
    // Chromium's move leaves a caret; a range is the person's own (a shift-click, a drag).
    if (pressed || !current.isCollapsed) return false;
    current.setBaseAndExtent(anchor.node, anchor.offset, head.node, head.offset);
    return true;
  }

  const inEditor = (event) => event.target === view.dom || view.dom.contains(event.target);
  // Before the editor hears a press: the browser's selection back, if Chromium moved it.
  const beforePress = (event) => {
    if (inEditor(event)) restore();
  };
  // After: a press nobody handled (its default not prevented) is the browser's to act on,
  // and may move the selection itself; the editor moves it for those it handles.
  const afterPress = (event) => {
    if (inEditor(event) && !event.defaultPrevented && !MODIFIER_KEYS.has(event.key)) pressed = true;
  };
  const onSelectionChange = () => {
    if (restore()) pressed = false;
  };
  // Heard before the editor's own handlers (captured around it, and on the window) and after.
  const around = view.dom.parentElement;
  const presses = ["keydown", "mousedown", "touchstart", "compositionstart"];
  for (const type of presses) {
    around.addEventListener(type, beforePress, true);
    window.addEventListener(type, afterPress);
  }
  window.addEventListener("selectionchange", onSelectionChange, true);
  return {
    update(_view, previous) {
      if (!view.state.selection.eq(previous.selection)) pressed = false;
    },
    destroy() {
      for (const type of presses) {
        around.removeEventListener(type, beforePress, true);
        window.removeEventListener(type, afterPress);
      }
      window.removeEventListener("selectionchange", onSelectionChange, true);
      guardedViews.delete(view);
    },
  };
}

function blockNode(block) {
  return Node.create({
    name: block.name,
    group: "block",
    atom: true,
    selectable: true,
    draggable: true,

    addAttributes() {
      return block.attributes;
    },
    parseHTML() {
      return [{ tag: block.tag, priority: 60 }];
    },
    renderHTML({ node }) {
      return block.render(node.attrs);
    },
    addNodeView() {
      return ({ node, getPos, editor }) => {
        rememberPictures(editor);
        let current = node;
        const dom = crel("div", { className: `body-block body-block--${block.name}` });
        dom.contentEditable = "false";
        const draw = () => dom.replaceChildren(...block.view(current.attrs).filter(Boolean));
        dom.addEventListener("dblclick", () => openDialog(editor, block, current, getPos));
        draw();
        return {
          dom,
          update(updated) {
            if (updated.type !== current.type) return false;
            current = updated;
            draw();
            return true;
          },
          selectNode: () => dom.classList.add("is-selected"),
          deselectNode: () => dom.classList.remove("is-selected"),
          ignoreMutation: () => true,
        };
      };
    },
    addProseMirrorPlugins() {
      const editor = this.editor;
      // Enter on the selected block edits it. Heard before the editor's own keys, which
      // first re-read where the browser put the caret: after a click on a block, that is
      // not always the block the editor shows selected.
      const editOnEnter = new Plugin({
        view(view) {
          const listener = (event) => {
            const { selection } = editor.state;
            if (event.target !== view.dom || event.key !== "Enter") return;
            if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
            if (selection.node?.type.name !== block.name) return;
            event.preventDefault();
            event.stopPropagation();
            openDialog(editor, block, selection.node, () => selection.from);
          };
          const around = view.dom.parentElement;
          around.addEventListener("keydown", listener, true);
          const guard = guardSelectionBetweenBlocks(view);
          return {
            update: (...args) => guard?.update(...args),
            destroy: () => {
              around.removeEventListener("keydown", listener, true);
              guard?.destroy();
            },
          };
        },
      });
      return [editOnEnter, ...(block.plugins ? block.plugins(editor, this.type) : [])];
    },
    addMenuItems({ buttons, menu }) {
      menu.defineItem({
        name: block.name,
        groups: "nodes bodyBlocks",
        priority: 50,
        command: (editor) => openDialog(editor, block),
        button: buttons.material(block.icon, block.label),
      });
    },
  });
}

export const BodyPicture = blockNode(PICTURE);
export const BodyEmbed = blockNode(EMBED);
export const PullQuote = blockNode(PULL_QUOTE);
export const FactBox = blockNode(FACT_BOX);
export const ReadMore = blockNode(READ_MORE);
