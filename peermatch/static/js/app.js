// Progressive enhancements only: every form works without this file.
"use strict";

function enablePasswordToggles() {
  document.querySelectorAll("[data-toggle-password]").forEach((button) => {
    const input = document.getElementById(button.dataset.togglePassword);
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", String(show));
      button.textContent = show ? "Hide password" : "Show password";
    });
  });
}

// Region is a list of states for the United States and free text elsewhere.
function enableRegionSwitch() {
  const wrapper = document.querySelector("[data-region-field]");
  const country = document.getElementById("country");
  if (!wrapper || !country) return;
  const states = wrapper.dataset.usStates.split("|");
  const remembered = { SELECT: "", INPUT: "" };  // what was chosen or typed in each form
  const swap = () => {
    const current = document.getElementById("region");
    const wantSelect = country.value === "US";
    if (wantSelect === (current.tagName === "SELECT")) return;
    remembered[current.tagName] = current.value;
    const next = document.createElement(wantSelect ? "select" : "input");
    for (const name of ["id", "name", "aria-describedby"]) {
      if (current.hasAttribute(name)) next.setAttribute(name, current.getAttribute(name));
    }
    if (wantSelect) {
      next.add(new Option("Choose a state", ""));
      for (const state of states) {
        next.add(new Option(state, state, false, state === remembered.SELECT));
      }
    } else {
      next.type = "text";
      next.autocomplete = "address-level1";
      next.value = remembered.INPUT;
    }
    current.replaceWith(next);
  };
  country.addEventListener("change", swap);
}

// Forms that end something ask once more before they are sent.
function enableConfirmations() {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

// Times are written in UTC; show them in the reader's own time zone.
function localiseTimes() {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  document.querySelectorAll("time[data-local]").forEach((element) => {
    const moment = new Date(element.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) element.textContent = format.format(moment);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  localiseTimes();
  enablePasswordToggles();
  enableRegionSwitch();
  enableConfirmations();
});
