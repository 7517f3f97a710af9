"use strict";
// The article form's autosave: nothing typed is lost to a closed tab, a crash or a lost
// connection (docs/editors-guide.md, "Never lose a word").
//
// - What the form holds goes to the server a moment after typing stops, at least every 30
//   seconds while typing goes on, and when the page is hidden or left. It is kept for this user
//   and story; it changes nothing in the story until the story is saved.
// - Until the server has it, a copy waits in the browser (localStorage), one per page: a page
//   that opens later sends the copies it finds and offers them back.
// - A failed save retries, with growing pauses, and at once when the connection returns.
// - The status line says "Saving…", "Saved at 12:04" or "Not saved — offline, retrying".
// - Leaving the page with unsaved changes asks first; saving the story does not.
// - An earlier autosave the page offers (above the form) is restored into the form or
//   discarded; until then the story's autosave is paused so that it is not overwritten.
(function () {
  const SETTLE_MS = 2000; // after the last keystroke
  const AT_LEAST_EVERY_MS = 30 * 1000; // while typing goes on
  const CHECK_EVERY_MS = 3000; // changes no event announces (a script setting a value)
  const COPY_AFTER_MS = 500; // the local copy, while typing
  const RETRY_AFTER_MS = [2000, 5000, 10000, 20000, 30000];
  const STORAGE_PREFIX = "newsroom.autosave.";
  // Not the story's text: the page's own bookkeeping.
  const IGNORED = new Set([
    "csrfmiddlewaretoken",
    "base_version",
    "autosave_key",
    "_transition",
    "_save",
    "_continue",
    "_addanother",
  ]);
  // Kept as the page has them when restoring: the inline rows' ids and counts.
  const PAGE_OWNED = /-(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)$|^[\w]+-\d+-(id|article)$/;

  const page = Math.random().toString(36).slice(2); // this page's copy among the browser's
  let form, tools, statusLine, keyInput, offer, story, user, keptForMs;
  let baseline = null; // the form as the story is saved, or null: it holds unsaved text
  let held = null; // what the server holds from this page, or null: nothing yet
  let ownDiscardUrl = null; // where to discard what this page sent
  let lastSeen = null;
  let timers = {};
  let inFlight = false;
  let again = false;
  let failures = 0;
  let stopped = false; // the server refused for good (no longer allowed)
  let submitting = false;
  // Whether the user has typed, pasted or chosen anything yet. Until then, a value a script
  // sets (the editor tidying the body's HTML, a widget formatting a date) is the saved story
  // as this page shows it, not a change to keep.
  let touched = false;

  // What the form holds

  function serialize() {
    const fields = {};
    for (const [name, value] of new FormData(form)) {
      if (IGNORED.has(name) || name.includes("__prefix__") || name.startsWith("initial-")) continue;
      (fields[name] = fields[name] || []).push(typeof value === "string" ? value : "");
    }
    // The names of the chosen options: autocomplete fields have no other to show them by.
    const labels = {};
    for (const select of form.querySelectorAll("select[name]")) {
      if (fields[select.name]) {
        labels[select.name] = Array.from(select.selectedOptions, (o) => o.textContent.trim());
      }
    }
    return { fields, labels };
  }

  function fingerprint(content) {
    return JSON.stringify(content.fields);
  }

  function current() {
    return fingerprint(serialize());
  }

  function isDirty() {
    return baseline === null || current() !== baseline;
  }

  function isUnsent(print) {
    return print !== (held === null ? baseline : held);
  }

  function paused() {
    return Boolean(offer) && Boolean(story); // a story's offer waits for restore or discard
  }

  // The status line

  function say(text) {
    statusLine.textContent = text;
  }

  // The local copy

  function storageKey() {
    const identity = story ? `story-${story}` : `new-${keyInput.value}`;
    return `${STORAGE_PREFIX}${user}.${identity}.${page}`;
  }

  function keepCopy() {
    clearTimeout(timers.copy);
    timers.copy = null;
    if (submitting) return; // the form carries it to the server now
    const content = serialize();
    try {
      if (isUnsent(fingerprint(content))) {
        const copy = {
          url: tools.dataset.autosaveUrl,
          content,
          story,
          key: keyInput.value,
          version: baseVersion(),
          at: Date.now(),
        };
        window.localStorage.setItem(storageKey(), JSON.stringify(copy));
      } else {
        window.localStorage.removeItem(storageKey());
      }
    } catch (error) {
      // Storage full or switched off: the server's autosave still runs.
    }
  }

  function dropCopy() {
    try {
      window.localStorage.removeItem(storageKey());
    } catch (error) {
      // as above
    }
  }

  // Talking to the server

  function csrfToken() {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function baseVersion() {
    const input = form.querySelector("input[name=base_version]");
    return input ? input.value : "";
  }

  function post(url, fields, keepalive) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return fetch(url, {
      method: "POST",
      body,
      keepalive: Boolean(keepalive),
      credentials: "same-origin",
      redirect: "manual", // a lapsed login answers with a redirect, not with the login page
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
  }

  function send(copy, keepalive) {
    const fields = { content: JSON.stringify(copy.content), base_version: copy.version };
    if (!copy.story) fields.key = copy.key;
    return post(copy.url, fields, keepalive).then((response) => {
      const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
      if (response.ok && isJson) return response.json();
      throw response;
    });
  }

  // Saving

  function noteChange() {
    if (submitting || stopped) return;
    lastSeen = current();
    if (!timers.copy) timers.copy = setTimeout(keepCopy, COPY_AFTER_MS);
    clearTimeout(timers.settle);
    timers.settle = setTimeout(save, SETTLE_MS);
    if (!timers.atLeast) timers.atLeast = setTimeout(save, AT_LEAST_EVERY_MS);
  }

  function stopTimers() {
    for (const name of ["settle", "atLeast", "retry"]) {
      clearTimeout(timers[name]);
      timers[name] = null;
    }
  }

  function save(options) {
    const keepalive = Boolean(options && options.keepalive);
    if (submitting || stopped) return;
    if (inFlight && !keepalive) {
      again = true;
      return;
    }
    stopTimers();
    const content = serialize();
    const print = fingerprint(content);
    if (!isUnsent(print)) return;
    keepCopy();
    if (print === baseline) {
      discardOwn(); // typed back to what is saved: nothing to keep
      return;
    }
    if (paused()) {
      say("Not saved automatically while your earlier changes wait above: restore or discard them.");
      return;
    }
    if (!navigator.onLine) {
      failed("offline");
      return;
    }
    inFlight = true;
    say("Saving…");
    const copy = { url: tools.dataset.autosaveUrl, content, story, key: keyInput.value };
    copy.version = baseVersion();
    send(copy, keepalive)
      .then((data) => {
        held = print;
        ownDiscardUrl = data.discard_url;
        failures = 0;
        say(`Saved at ${data.saved_at_label}`);
        if (current() === print) dropCopy();
      })
      .catch((problem) => {
        if (problem instanceof Response && [403, 404].includes(problem.status)) {
          stopped = true;
          say("Not saved automatically: you may no longer edit this story. Your text is kept in this browser.");
        } else if (problem instanceof Response && problem.status === 400) {
          stopped = true;
          say("Not saved automatically: the server could not read it. Your text is kept in this browser; save the story to keep it.");
        } else if (problem instanceof Response && problem.type === "opaqueredirect") {
          failed("login");
        } else {
          failed(navigator.onLine ? "error" : "offline");
        }
      })
      .finally(() => {
        inFlight = false;
        if (again || (!timers.retry && isUnsent(current()))) {
          again = false;
          if (!timers.retry) noteChange();
        }
      });
  }

  function failed(reason) {
    const messages = {
      offline: "Not saved — offline, retrying",
      login: "Not saved — log in again (in another tab), retrying",
      error: "Not saved — retrying",
    };
    say(messages[reason]);
    clearTimeout(timers.retry);
    const pause = RETRY_AFTER_MS[Math.min(failures, RETRY_AFTER_MS.length - 1)];
    failures += 1;
    timers.retry = setTimeout(() => {
      timers.retry = null;
      save();
    }, pause);
  }

  function discardOwn() {
    if (!ownDiscardUrl) return;
    const url = ownDiscardUrl;
    ownDiscardUrl = null;
    held = null;
    say("");
    post(url, {}).catch(() => {}); // left over, it would only be offered with no differences
  }

  function leaving() {
    if (submitting) return;
    keepCopy();
    if (!stopped && !paused() && navigator.onLine && isUnsent(current())) save({ keepalive: true });
  }

  // Copies earlier pages left in this browser (offline when they closed or crashed): each is
  // sent where it belongs, and the server offers it on its form and on the desk.

  function leftBehind() {
    const copies = [];
    try {
      const names = Object.keys(window.localStorage).filter(
        (name) => name.startsWith(`${STORAGE_PREFIX}${user}.`) && !name.endsWith(`.${page}`)
      );
      for (const name of names) {
        const copy = JSON.parse(window.localStorage.getItem(name));
        if (Date.now() - copy.at > keptForMs) window.localStorage.removeItem(name); // expired
        else copies.push({ name, copy });
      }
    } catch (error) {
      return [];
    }
    return copies.sort((a, b) => a.copy.at - b.copy.at); // the newest is sent last and kept
  }

  function recover() {
    const copies = leftBehind();
    if (!copies.length) return;
    if (!navigator.onLine) {
      say("Unsent changes from an earlier visit are kept in this browser; they will be offered once you are online.");
      window.addEventListener("online", recover, { once: true });
      return;
    }
    const here = current();
    const sending = copies.map(({ name, copy }) => {
      const forThisForm = story ? copy.story === story : !copy.story;
      if (story && forThisForm && fingerprint(copy.content) === here) {
        window.localStorage.removeItem(name); // nothing the form lacks
        return Promise.resolve(false);
      }
      return send(copy, false).then(
        () => {
          window.localStorage.removeItem(name);
          return forThisForm;
        },
        () => false // kept for the next page
      );
    });
    Promise.all(sending).then((sent) => {
      // The server now offers it here, with its differences; the form is untouched yet.
      if (sent.some(Boolean) && !isDirty()) window.location.reload();
    });
  }

  // Restoring or discarding what the page offers

  function proseEditor(textarea) {
    // Tiptap hangs the editor on the element it edits (the menu bar is a .ProseMirror too).
    const container = textarea.closest(".prose-editor");
    const views = container ? Array.from(container.querySelectorAll(".ProseMirror")) : [];
    const view = views.find((element) => element.editor);
    return view && view.editor;
  }

  function matchRows(prefix, wanted) {
    const total = form.elements[`${prefix}-TOTAL_FORMS`];
    const add = document.querySelector(`#${prefix}-group .add-row a`);
    while (add && Number(total.value) < wanted) {
      const before = total.value;
      add.click();
      if (total.value === before) break;
    }
    for (let row = Number(total.value) - 1; row >= wanted; row--) {
      const id = form.elements[`${prefix}-${row}-id`];
      const remove = document.querySelector(`#${prefix}-${row} .inline-deletelink`);
      const deletion = form.elements[`${prefix}-${row}-DELETE`];
      if (id && id.value && deletion) deletion.checked = true;
      else if (remove) remove.click();
    }
  }

  function setValue(element, values, labels) {
    if (element.type === "checkbox" || element.type === "radio") {
      element.checked = values.includes(element.value);
    } else if (element.tagName === "SELECT") {
      values.forEach((value, i) => {
        if (!Array.from(element.options).some((option) => option.value === value)) {
          element.add(new Option(labels[i] || value, value));
        }
      });
      for (const option of element.options) option.selected = values.includes(option.value);
    } else {
      element.value = values[0] === undefined ? "" : values[0];
      const editor = element.tagName === "TEXTAREA" && proseEditor(element);
      if (editor) editor.commands.setContent(element.value, { emitUpdate: true });
    }
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fill(content) {
    const rows = {}; // inline prefix: how many rows the autosave has
    for (const name of Object.keys(content.fields)) {
      const prefix = name.match(/^(.+)-TOTAL_FORMS$/);
      if (prefix) {
        rows[prefix[1]] = Number(content.fields[name][0]);
        matchRows(prefix[1], rows[prefix[1]]);
      }
    }
    for (const element of Array.from(form.elements)) {
      const name = element.name;
      if (!name || IGNORED.has(name) || PAGE_OWNED.test(name)) continue;
      if (name.includes("__prefix__") || name.startsWith("initial-")) continue;
      if (["submit", "button", "reset", "file"].includes(element.type)) continue;
      const row = name.match(/^(.+)-(\d+)-/);
      if (row && row[1] in rows && Number(row[2]) >= rows[row[1]]) continue; // marked deleted
      const values = content.fields[name];
      // A field the autosave does not have is left as it is; a box or a list of choices
      // left empty is not sent by a form, so it is cleared.
      const cleared = element.type === "checkbox" || element.multiple;
      if (values === undefined && !cleared) continue;
      setValue(element, values || [], (content.labels || {})[name] || []);
    }
  }

  function settleOffer(text) {
    offer.remove();
    offer = null;
    const discard = document.getElementById("autosave-discard");
    if (discard) discard.remove();
    say(text);
  }

  function restore() {
    const content = JSON.parse(document.getElementById("autosave-offer-content").textContent);
    const time = offer.dataset.autosaveOfferTime;
    if (!story) {
      dropCopy();
      keyInput.value = offer.dataset.autosaveOfferKey; // its autosaves go on under its key
    }
    held = null;
    touched = true; // what the editor does with the restored text is the user's change too
    fill(content);
    settleOffer(`Restored your changes from ${time}: save the story to keep them in it.`);
    noteChange();
    const first = form.querySelector("input:not([type=hidden]), textarea, select");
    if (first) first.focus();
  }

  function discard(event) {
    event.preventDefault();
    const url = document.getElementById("autosave-discard").action;
    post(url, {})
      .then((response) => {
        if (!response.ok) throw response;
        settleOffer("Your earlier changes were discarded.");
        if (isUnsent(current())) noteChange();
      })
      .catch(() => say("Not discarded: the connection failed. Try again."));
  }

  // Wiring

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function submitted(event) {
    if (event.target !== form || event.defaultPrevented) return;
    if (!navigator.onLine) {
      event.preventDefault();
      say("You are offline: the story cannot be saved now. Your text is kept; save again once you are back online.");
      return;
    }
    submitting = true; // the form now carries everything; nothing to ask or keep on leaving
    stopTimers();
    dropCopy();
  }

  document.addEventListener("DOMContentLoaded", () => {
    tools = document.querySelector("[data-autosave-url]");
    if (!tools) return;
    form = tools.closest("form");
    statusLine = tools.querySelector("[data-autosave-status]");
    keyInput = tools.querySelector("[data-autosave-key]");
    offer = document.querySelector("[data-autosave-offer]");
    story = tools.dataset.autosaveStory;
    user = tools.dataset.autosaveUser;
    keptForMs = Number(tools.dataset.autosaveDays) * 24 * 60 * 60 * 1000;
    if (!story && !keyInput.value) keyInput.value = newKey();
    baseline = "autosaveUnsaved" in tools.dataset ? null : current();
    lastSeen = current();

    for (const type of ["input", "change", "formset:added", "formset:removed"]) {
      form.addEventListener(type, noteChange);
      if (type.startsWith("formset:")) document.addEventListener(type, noteChange);
    }
    // Autocomplete fields (select2) announce a choice through jQuery alone.
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", noteChange);
    for (const type of ["keydown", "input", "paste", "drop", "change"]) {
      form.addEventListener(type, (event) => { if (event.isTrusted) touched = true; }, true);
    }
    setInterval(() => {
      if (submitting || current() === lastSeen) return;
      if (touched) {
        noteChange();
      } else if (baseline !== null && held === null) {
        baseline = lastSeen = current();
      }
    }, CHECK_EVERY_MS);

    window.addEventListener("online", () => {
      if (timers.retry) save();
    });
    window.addEventListener("submit", submitted);
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) submitting = false; // back from the history: the form is here again
    });
    window.addEventListener("beforeunload", (event) => {
      if (submitting || !isDirty()) return;
      event.preventDefault();
      event.returnValue = "";
    });
    window.addEventListener("pagehide", leaving);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") leaving();
    });

    if (offer) {
      const restoreButton = offer.querySelector("[data-autosave-restore]");
      restoreButton.hidden = false;
      restoreButton.addEventListener("click", restore);
      offer.querySelector("[data-autosave-discard]").addEventListener("click", discard);
    }
    if (baseline === null) save(); // shown again after a refused save: keep what it holds
    recover();
  });
})();
