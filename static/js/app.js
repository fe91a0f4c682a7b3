// Progress: the little the server cannot do, on every page. The live meeting's clock ticks here
// between polls; the times themselves come from the server, so every screen and a refresh agree.
"use strict";

// The clock of a part of the meeting (server: meetings/live.py, the same figures and words).
function clockFace(total) {
  const seconds = Math.abs(total);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function minutesInWords(seconds, over) {
  if (seconds === 0) return "time is up";
  const minutes = over ? Math.floor(seconds / 60) : Math.ceil(seconds / 60);
  if (over && minutes === 0) return "less than a minute over";
  return `${minutes} minute${minutes === 1 ? "" : "s"} ${over ? "over" : "left"}`;
}

// When each clock's figures arrived, by the server's render stamp: a poll that changes nothing
// (304) leaves the clock alone, so it keeps counting from the figures it has; a fresh render
// resets it to the server's.
const arrivals = new WeakMap();
const lastStates = new WeakMap(); // each clock's state when last seen, to say when it turns

// One polite live region (#announcer) says what changed, once: a screen reader hears the chair
// move on and the clock run short, and nothing on a poll that changes nothing.
function announce(text) {
  const announcer = document.getElementById("announcer");
  if (announcer && text) announcer.textContent = text;
}

function tick() {
  const now = performance.now();
  for (const clock of document.querySelectorAll("[data-clock]")) {
    let arrival = arrivals.get(clock);
    if (arrival?.rendered !== clock.dataset.rendered) {
      arrival = { rendered: clock.dataset.rendered, at: now };
      arrivals.set(clock, arrival);
    }
    const passed = now - arrival.at;
    const elapsed = Math.floor((Number(clock.dataset.elapsedMs) + passed) / 1000);
    const planned = Number(clock.dataset.planned);
    const left = planned - elapsed;
    const state = elapsed > planned ? "red" : elapsed >= Number(clock.dataset.amberAt) ? "amber" : "ok";
    const meetingElapsed = Math.floor((Number(clock.dataset.meetingElapsedMs) + passed) / 1000);
    const meetingLeft = Number(clock.dataset.meeting) - meetingElapsed;
    clock.dataset.state = state;
    const was = lastStates.get(clock);
    lastStates.set(clock, state);
    if (was && was !== state && state !== "ok") {
      announce(state === "red" ? "Time is up for this part." : `${minutesInWords(left, false)} for this part.`);
    }
    setText(clock.querySelector("[data-clock-text]"), `${clockFace(left)} ${left >= 0 ? "left" : "over"}`);
    setText(clock.querySelector("[data-clock-words]"), state === "ok" ? "" : minutesInWords(Math.abs(left), left < 0));
    setText(
      clock.querySelector("[data-meeting-text]"),
      `Meeting: ${clockFace(meetingLeft)} ${meetingLeft >= 0 ? "left" : "over"}`,
    );
  }
}

function setText(element, text) {
  // Only on change: the words are a live region, read out when they change, not every second.
  if (element && element.textContent !== text) element.textContent = text;
}

setInterval(tick, 250); // a quarter second: each second shows on time, not up to one late
document.addEventListener("DOMContentLoaded", tick);
document.addEventListener("htmx:after:swap", tick);

// The recorder's forms: Ctrl+Enter (or ⌘+Enter) saves from any field; Enter starts a new line in
// a text box and, anywhere else, does nothing, so that half an entry is never sent.
document.addEventListener("keydown", (event) => {
  const form = event.target.closest?.("form[data-keyboard-entry]");
  if (!form || event.key !== "Enter" || event.isComposing) return;
  if (event.ctrlKey || event.metaKey) {
    event.preventDefault();
    form.requestSubmit();
  } else if (event.target.matches("input, select")) {
    event.preventDefault();
  }
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

// When the chair moves on, every screen says so once; the chair's own screen brings the new
// part's heading into view and to the keyboard; the recorder's form follows, unless an entry is
// under way.
const loadedStatus = document.querySelector("#live")?.dataset.status;
let announced = document.querySelector("#live")?.dataset.announce;
let movedHere = false;
document.addEventListener("submit", (event) => {
  if (event.target.matches("form[data-moves]")) movedHere = true;
});
document.addEventListener("htmx:after:swap", () => {
  const live = document.querySelector("#live");
  if (!live) return;
  if (live.dataset.status !== loadedStatus) {
    window.location.reload(); // started or closed: the page around the log changes too
    return;
  }
  if (live.dataset.announce !== announced) {
    announced = live.dataset.announce;
    announce(`Now: ${announced}`);
    if (movedHere) {
      const heading = document.getElementById("section-heading");
      heading?.scrollIntoView({ block: "start" });
      heading?.focus({ preventScroll: true });
    }
    movedHere = false;
  } else if (live.querySelector("[role=alert]")) {
    movedHere = false; // the move was refused, and says why in place
  }
  const form = document.querySelector("#recorder form");
  if (!form || form.elements.barrier.value || form.elements.text.value) return;
  const item = form.elements.namedItem("item"); // not .item, which is a method of the collection
  if (live.dataset.currentItem && item.value !== live.dataset.currentItem) {
    item.value = live.dataset.currentItem;
    item.dispatchEvent(new Event("change", { bubbles: true }));
  }
});

// A filtered list says how many it found, not what: the count is read, the table is not.
document.addEventListener("htmx:after:settle", (event) => {
  const count = event.target.querySelector?.("[data-count]");
  if (count) announce(count.textContent.replace(/\s+/g, " ").trim());
});

// A saved entry or finding is said once, and leaves the form ready for the next one.
document.addEventListener("htmx:after:settle", (event) => {
  const saved = event.target.querySelector?.("[data-saved]");
  if (!saved) return;
  announce(saved.textContent.trim());
  if (event.target.id === "recorder") event.target.querySelector("[name=barrier]")?.focus();
});

// An action's kind follows its barrier's category (a knowledge gap is retaught, an attendance
// barrier has an attendance action) while it is empty or still the kind the category before gave.
document.addEventListener("change", (event) => {
  const category = event.target;
  if (!category.dataset.kindFor) return;
  const usual = JSON.parse(category.dataset.kindFor);
  const kind = category.form?.elements.namedItem("kind");
  if (!kind || !usual[category.value]) return;
  if (kind.value === "" || kind.value === usual[category.dataset.was ?? ""]) {
    kind.dataset.was = kind.value;
    kind.value = usual[category.value];
    kind.dispatchEvent(new Event("change", { bubbles: true }));
  }
  category.dataset.was = category.value;
});

// An action's review date moves with its kind (a reteach is checked within days, an intervention
// after weeks) while it still holds the usual date of the kind before; a date someone chose stays.
document.addEventListener("focusin", (event) => {
  if (event.target.name === "kind") event.target.dataset.was = event.target.value;
});
document.addEventListener("change", (event) => {
  const kind = event.target;
  if (kind.name !== "kind") return;
  const date = kind.form?.querySelector("[data-usual-dates]");
  if (!date) return;
  const usual = JSON.parse(date.dataset.usualDates);
  const was = kind.dataset.was ?? [...kind.options].find((option) => option.defaultSelected)?.value;
  if (date.value === usual[was ?? ""] && usual[kind.value]) {
    date.value = usual[kind.value];
    date.dispatchEvent(new Event("input", { bubbles: true })); // the quality check reads it again
  }
  kind.dataset.was = kind.value;
});

// A people picker (templates/includes/people_picker.html): a search narrows the list
// (Enter ticks the first person left), and the people chosen show as chips above it, each a
// button that unticks them.
function drawChips(picker) {
  const chosen = [...picker.querySelectorAll("input[type=checkbox]:checked")];
  picker.querySelector("[data-chips]").replaceChildren(
    ...chosen.map((box) => {
      const name = box.labels[0].textContent.trim();
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "btn btn-sm btn-outline-primary rounded-pill mb-1";
      chip.textContent = `${name} ×`;
      chip.setAttribute("aria-label", `Remove ${name}`);
      chip.addEventListener("click", () => {
        box.checked = false;
        box.dispatchEvent(new Event("change", { bubbles: true }));
        picker.querySelector("[data-find]").focus();
      });
      const item = document.createElement("li");
      item.className = "list-inline-item";
      item.append(chip);
      return item;
    }),
  );
}

function narrow(picker, words) {
  for (const person of picker.querySelectorAll("[data-person]")) {
    person.hidden = words !== "" && !person.textContent.toLowerCase().includes(words);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const picker of document.querySelectorAll("[data-people-picker]")) {
    const find = picker.querySelector("[data-find]");
    find.hidden = false;
    find.addEventListener("input", () => narrow(picker, find.value.trim().toLowerCase()));
    find.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault(); // not the whole form
      const first = [...picker.querySelectorAll("[data-person]")].find((person) => !person.hidden);
      const box = first?.querySelector("input");
      if (!box) return;
      box.checked = true;
      box.dispatchEvent(new Event("change", { bubbles: true }));
      announce(`${box.labels[0].textContent.trim()} added.`);
      find.value = "";
      narrow(picker, "");
    });
    picker.addEventListener("change", () => drawChips(picker));
    drawChips(picker);
  }
});

// The shortlist counts its items against the meeting's room for them as boxes are ticked, and
// says the count when it changes.
document.addEventListener("change", (event) => {
  const form = event.target.form;
  const count = form?.querySelector("[data-shortlist-count]");
  if (!count || !["pupils", "group_name"].includes(event.target.name)) return;
  const items =
    form.querySelectorAll("input[name=pupils]:checked").length + (form.elements.group_name.value.trim() ? 1 : 0);
  const cap = Number(count.dataset.cap);
  count.textContent =
    items > cap
      ? `${items} items chosen: more than the ${cap} this meeting has room for. Say why below, or choose fewer.`
      : `${items} of ${cap} items chosen.`;
  count.classList.toggle("text-danger-emphasis", items > cap);
  if (count.dataset.said !== String(items)) announce(count.textContent);
  count.dataset.said = String(items);
});
