// Progress: the little the server cannot do. The live meeting's clock ticks here between polls;
// the times themselves come from the server, so every screen and a refresh agree.
"use strict";

function formatSeconds(total) {
  const sign = total < 0 ? "−" : "";
  const seconds = Math.abs(total);
  const minutes = Math.floor(seconds / 60);
  return `${sign}${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

function tick() {
  for (const clock of document.querySelectorAll("[data-clock]")) {
    const loadedAt = Number(clock.dataset.loadedAt || (clock.dataset.loadedAt = Date.now()));
    const passed = Math.floor((Date.now() - loadedAt) / 1000);
    const elapsed = Number(clock.dataset.elapsed) + passed;
    const left = Number(clock.dataset.planned) - elapsed;
    const meetingLeft = Number(clock.dataset.meetingLeft) - passed;
    clock.querySelector("[data-clock-text]").textContent =
      left >= 0 ? `${formatSeconds(left)} left in this part` : `${formatSeconds(left)} over`;
    clock.querySelector("[data-meeting-text]").textContent = `· meeting ${formatSeconds(meetingLeft)} left`;
  }
}

setInterval(tick, 1000);
document.addEventListener("DOMContentLoaded", tick);
document.addEventListener("htmx:after:swap", tick);

// The recorder's forms: Enter saves (Shift+Enter starts a new line in a text box).
document.addEventListener("keydown", (event) => {
  const form = event.target.closest?.("form[data-enter-saves]");
  if (!form || event.key !== "Enter" || event.shiftKey || event.isComposing) return;
  if (!event.target.matches("textarea, select")) return; // inputs submit on Enter already
  event.preventDefault();
  form.requestSubmit();
});

// The chair moves on, or back, with one key when not typing.
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  document.querySelector(`#live [data-key="${event.key}"]`)?.click();
});

// Choosing "a group" opens the group's fields.
document.addEventListener("change", (event) => {
  if (event.target.name !== "item") return;
  const group = event.target.form?.querySelector("[data-group-fields]");
  if (group) group.open = event.target.value === "group";
});

// When the chair moves on, the recorder's form follows, unless an entry is under way.
const loadedStatus = document.querySelector("#live")?.dataset.status;
document.addEventListener("htmx:after:swap", () => {
  const live = document.querySelector("#live");
  if (!live) return;
  if (live.dataset.status !== loadedStatus) {
    window.location.reload(); // started or closed: the page around the log changes too
    return;
  }
  const form = document.querySelector("#recorder form");
  if (!form || form.elements.barrier.value || form.elements.text.value) return;
  const item = form.elements.namedItem("item"); // not .item, which is a method of the collection
  if (live.dataset.currentItem && item.value !== live.dataset.currentItem) {
    item.value = live.dataset.currentItem;
    item.dispatchEvent(new Event("change", { bubbles: true }));
  }
});

// A saved entry leaves the form ready for the next one.
document.addEventListener("htmx:after:settle", (event) => {
  const recorder = event.target;
  if (recorder.id === "recorder" && recorder.querySelector("[role=status]")) {
    recorder.querySelector("[name=barrier]")?.focus();
  }
});
