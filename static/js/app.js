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
