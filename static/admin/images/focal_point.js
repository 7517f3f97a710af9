"use strict";
// The focal point picker on the image form. A click on the preview sets the focal point
// fields, which stay editable for keyboards and browsers without scripts. The crop previews
// use the arithmetic of crop_box() in images/processing.py, so they match what readers get.
(function () {
  function clamp(value, lowest, highest) {
    return Math.max(lowest, Math.min(value, highest));
  }

  function fraction(input) {
    const value = parseFloat(input.value);
    return Number.isFinite(value) ? clamp(value, 0, 1) : 0.5;
  }

  function cropBox(width, height, ratio, x, y) {
    let boxWidth = width;
    let boxHeight = height;
    if (width * ratio[1] > height * ratio[0]) {
      boxWidth = Math.max(1, Math.round((height * ratio[0]) / ratio[1]));
    } else {
      boxHeight = Math.max(1, Math.round((width * ratio[1]) / ratio[0]));
    }
    return {
      left: clamp(Math.round(x * width - boxWidth / 2), 0, width - boxWidth),
      top: clamp(Math.round(y * height - boxHeight / 2), 0, height - boxHeight),
      width: boxWidth,
      height: boxHeight,
    };
  }

  function makeCrop(container, preview, text) {
    const ratio = text.split(":").map(Number);
    const figure = document.createElement("figure");
    figure.className = "focal-point-crop";
    const frame = document.createElement("div");
    frame.style.aspectRatio = ratio[0] + " / " + ratio[1];
    frame.style.backgroundImage = 'url("' + preview.currentSrc + '")';
    const caption = document.createElement("figcaption");
    caption.textContent = text;
    figure.append(frame, caption);
    container.append(figure);
    return { ratio: ratio, frame: frame };
  }

  function placeCrop(crop, preview, x, y) {
    const width = preview.naturalWidth;
    const height = preview.naturalHeight;
    const box = cropBox(width, height, crop.ratio, x, y);
    // Background percentages align that share of the picture with the same share of the frame.
    const across = width > box.width ? (100 * box.left) / (width - box.width) : 0;
    const down = height > box.height ? (100 * box.top) / (height - box.height) : 0;
    crop.frame.style.backgroundSize = (100 * width) / box.width + "% auto";
    crop.frame.style.backgroundPosition = across + "% " + down + "%";
  }

  function setUp(picker) {
    const form = picker.closest("form");
    const inputX = form.querySelector("[name=focal_x]");
    const inputY = form.querySelector("[name=focal_y]");
    const preview = picker.querySelector("img");
    const marker = picker.querySelector(".focal-point-picker__marker");
    if (!inputX || !inputY || !preview || !marker) {
      return;
    }
    const crops = [];
    const container = document.createElement("div");
    container.className = "focal-point-crops";
    picker.parentElement.append(container);

    function show() {
      const x = fraction(inputX);
      const y = fraction(inputY);
      marker.style.left = 100 * x + "%";
      marker.style.top = 100 * y + "%";
      marker.hidden = false;
      crops.forEach((crop) => placeCrop(crop, preview, x, y));
    }

    function ready() {
      (picker.dataset.ratios || "").split(" ").filter(Boolean).forEach((text) => {
        crops.push(makeCrop(container, preview, text));
      });
      show();
    }

    preview.addEventListener("click", (event) => {
      const rect = preview.getBoundingClientRect();
      inputX.value = clamp((event.clientX - rect.left) / rect.width, 0, 1).toFixed(3);
      inputY.value = clamp((event.clientY - rect.top) / rect.height, 0, 1).toFixed(3);
      show();
    });
    inputX.addEventListener("input", show);
    inputY.addEventListener("input", show);
    if (preview.complete && preview.naturalWidth) {
      ready();
    } else {
      preview.addEventListener("load", ready, { once: true });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-focal-point-picker]").forEach(setUp);
  });
})();
