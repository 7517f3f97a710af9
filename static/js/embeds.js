// Embedded posts, videos and charts (templates/articles/_embed.html): nothing is loaded from
// the provider until the reader asks for it. Without this script the placeholder stays a link.
"use strict";

(function () {
  const SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation";

  function show(figure) {
    const frame = document.createElement("iframe");
    frame.src = figure.dataset.embedFrame;
    frame.title = figure.dataset.embedTitle;
    frame.className = "embed__frame";
    frame.setAttribute("sandbox", SANDBOX);
    frame.setAttribute("allow", "fullscreen; encrypted-media; picture-in-picture");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.setAttribute("tabindex", "0");
    figure.querySelector(".embed__placeholder").replaceWith(frame);
    frame.focus();
  }

  for (const figure of document.querySelectorAll("figure.embed[data-embed-frame]")) {
    if (!figure.dataset.embedFrame) continue;
    const button = figure.querySelector(".embed__show");
    const consent = figure.querySelector(".embed__consent");
    if (!button) continue;
    button.hidden = false;
    if (consent) consent.hidden = false;
    button.addEventListener("click", () => show(figure));
  }
})();
