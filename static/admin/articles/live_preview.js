"use strict";
// The article form's live preview: the form as it is, unsaved, rendered as the public article
// page beside the form (or in a tab of its own), a moment after typing stops, at desktop or
// mobile width. The server saves nothing (desk.views.live_preview).
//
// The page comes back from a POST and is shown in the frame through `srcdoc`, so no response
// needs to allow framing: the frame has the admin's origin and its Content-Security-Policy,
// which runs no inline script (and the page has none: the body is sanitized). Its links and
// its search form open in a new tab.
(function () {
  const SETTLE_MS = 1000;
  let form, pane, frame, viewport, opener, statusLine;
  let width = 1280;
  let timer = null;
  let inFlight = false;
  let again = false;
  let scrolledTo = 0;

  function csrfToken() {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fit() {
    // Desktop width is shown scaled down to the pane; the page inside lays out at full width.
    const scale = Math.min(1, viewport.clientWidth / width);
    viewport.style.setProperty("--preview-width", `${width}px`);
    viewport.style.setProperty("--preview-scale", String(scale));
  }

  function show(html) {
    const document_ = frame.contentDocument;
    scrolledTo = document_ && document_.defaultView ? document_.defaultView.scrollY : 0;
    frame.srcdoc = html.replace(/<head>/i, '<head><base target="_blank">');
  }

  function refresh() {
    clearTimeout(timer);
    timer = null;
    if (pane.hidden) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    statusLine.textContent = "Updating…";
    fetch(pane.dataset.livePreviewUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken() },
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response)))
      .then((html) => {
        show(html);
        statusLine.textContent = "";
      })
      .catch(() => {
        statusLine.textContent = "The preview could not be updated; it tries again as you type.";
      })
      .finally(() => {
        inFlight = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  function soon() {
    if (pane.hidden) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, SETTLE_MS);
  }

  function setWidth(button) {
    width = Number(button.dataset.livePreviewWidth);
    for (const other of pane.querySelectorAll("[data-live-preview-width]")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
    pane.classList.toggle("live-preview--mobile", width < 1280);
    pane.classList.toggle("live-preview--desktop", width >= 1280);
    fit();
  }

  function open() {
    pane.hidden = false;
    document.body.classList.add("has-live-preview");
    opener.setAttribute("aria-expanded", "true");
    fit();
    refresh();
    pane.querySelector("#live-preview-title").focus();
  }

  function close() {
    pane.hidden = true;
    document.body.classList.remove("has-live-preview");
    opener.setAttribute("aria-expanded", "false");
    opener.focus();
  }

  function openInNewTab() {
    // The form itself, posted to the preview in a new tab; submit() passes no submit event,
    // so the form's own handlers (the autosave's "leaving" among them) stay out of it.
    const action = form.getAttribute("action");
    const target = form.getAttribute("target");
    form.setAttribute("action", pane.dataset.livePreviewUrl);
    form.setAttribute("target", "_blank");
    form.submit();
    if (action === null) form.removeAttribute("action");
    else form.setAttribute("action", action);
    if (target === null) form.removeAttribute("target");
    else form.setAttribute("target", target);
  }

  document.addEventListener("DOMContentLoaded", () => {
    pane = document.getElementById("live-preview");
    opener = document.querySelector("[data-live-preview-open]");
    if (!pane || !opener) return;
    form = pane.closest("form");
    frame = pane.querySelector("iframe");
    viewport = pane.querySelector("[data-live-preview-viewport]");
    statusLine = pane.querySelector("[data-live-preview-status]");

    opener.hidden = false;
    opener.addEventListener("click", () => (pane.hidden ? open() : close()));
    pane.querySelector("[data-live-preview-close]").addEventListener("click", close);
    pane.querySelector("[data-live-preview-new-tab]").addEventListener("click", openInNewTab);
    for (const button of pane.querySelectorAll("[data-live-preview-width]")) {
      button.addEventListener("click", () => setWidth(button));
    }
    pane.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    frame.addEventListener("load", () => {
      const view = frame.contentWindow;
      if (view && scrolledTo) view.scrollTo(0, scrolledTo);
    });
    new ResizeObserver(fit).observe(viewport);

    for (const type of ["input", "change", "formset:added", "formset:removed"]) {
      form.addEventListener(type, soon);
      if (type.startsWith("formset:")) document.addEventListener(type, soon);
    }
    // Autocomplete fields (select2) announce a choice through jQuery alone.
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", soon);
  });
})();
