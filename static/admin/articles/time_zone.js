/* The newsroom's time zone beside every time input (NewsroomDateTimeWidget): Django's note
   that the browser's zone differs from the server's is replaced by it, and its abbreviation
   follows the date typed or picked ("CET" in winter, "CEST" in summer). */
/*global DateTimeShortcuts, get_format*/
"use strict";
{
  // Loaded after DateTimeShortcuts.js, which adds its note once the page has loaded.
  if (window.DateTimeShortcuts) {
    DateTimeShortcuts.addTimezoneWarning = () => {};
  }

  // A date as typed, in any of the formats the server accepts ("%d/%m/%Y", "%Y-%m-%d"…).
  function parseDate(text) {
    const parts = { "%d": "day", "%m": "month", "%Y": "year" };
    for (const format of get_format("DATE_INPUT_FORMATS")) {
      const order = [];
      const pattern = format.replace(/[.*+?^${}()|[\]\\/]|%[dmY]/g, (token) => {
        if (parts[token]) {
          order.push(parts[token]);
          return token === "%Y" ? "(\\d{4})" : "(\\d{1,2})";
        }
        return "\\" + token;
      });
      const match = new RegExp("^" + pattern + "$").exec(text.trim());
      if (match && order.length === 3) {
        const date = {};
        order.forEach((part, index) => { date[part] = Number(match[index + 1]); });
        // Not a date (month first, a 31st of June): the server refuses it too.
        const day = new Date(Date.UTC(date.year, date.month - 1, date.day));
        if (day.getUTCMonth() === date.month - 1 && day.getUTCDate() === date.day) {
          return date;
        }
      }
    }
    return null;
  }

  function parseTime(text) {
    const match = /^(\d{1,2}):(\d{2})/.exec(text.trim());
    return match ? { hour: Number(match[1]), minute: Number(match[2]) } : { hour: 12, minute: 0 };
  }

  // The zone's offset from UTC, in seconds, at an instant.
  function offsetAt(zone, instant) {
    const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(instant)
      .find((part) => part.type === "timeZoneName").value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    if (!match) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
    return match[1] === "-" ? -seconds : seconds;
  }

  function update(label) {
    const inputs = label.parentElement.querySelectorAll("input.vDateField, input.vTimeField");
    const date = inputs[0] && parseDate(inputs[0].value);
    if (!date) return;
    const time = parseTime(inputs[1] ? inputs[1].value : "");
    const zone = label.dataset.timeZone;
    // The wall-clock time in the zone, read as UTC, is off by the offset; one step corrects it.
    const asUtc = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
    const offset = offsetAt(zone, new Date(asUtc - offsetAt(zone, new Date(asUtc)) * 1000));
    const abbreviation = JSON.parse(label.dataset.abbreviations)[offset];
    const text = `${zone}, ${abbreviation}`;
    if (abbreviation && label.textContent !== text) {
      label.textContent = text;
    }
  }

  function updateAll() {
    document.querySelectorAll(".newsroom-datetime__zone").forEach(update);
  }

  document.addEventListener("input", (event) => {
    if (event.target.closest(".newsroom-datetime")) updateAll();
  });
  document.addEventListener("change", (event) => {
    if (event.target.closest(".newsroom-datetime")) updateAll();
  });
  // The calendar and the clock set the inputs without an event of their own. Caught on the
  // way down: the calendar redraws itself on a click, taking the clicked day out of the page.
  document.addEventListener("click", (event) => {
    if (event.target.closest(".calendarbox, .clockbox, .datetimeshortcuts")) {
      setTimeout(updateAll);
    }
  }, true);
}
