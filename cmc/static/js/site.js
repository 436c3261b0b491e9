// Behaviour the pages share, kept out of the markup so that the Content-Security-Policy can
// forbid inline script. Without JavaScript these controls stay hidden.

function showPrintControls(root) {
  for (const control of root.querySelectorAll("[data-print]")) {
    control.hidden = false;
  }
}

document.addEventListener("DOMContentLoaded", () => showPrintControls(document));
// Content that HTMX swaps in gets its controls too.
document.addEventListener("htmx:load", (event) => showPrintControls(event.target));

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print] button")) {
    window.print();
  }
});

// After a change saved in place (the builder's forms), the answer names what changed and the
// element that focus returns to (the control that acted, or the item changed): the page's one
// polite live region says it, and focus goes there instead of falling to <body>.
function announce(message) {
  const region = document.getElementById("live-status");
  if (!region || !message) {
    return;
  }
  let said = region.querySelector(".live-message");
  if (!said) {
    said = document.createElement("p");
    said.className = "live-message";
    region.append(said);
  }
  // Emptied first, so that the same words said twice are announced twice.
  said.textContent = "";
  window.clearTimeout(announce.clearing);
  window.setTimeout(() => {
    said.textContent = message;
  }, 50);
  // Shown for a while, then out of the way of what it covers (its removal is not announced).
  announce.clearing = window.setTimeout(() => {
    said.textContent = "";
  }, 8000);
}

function focusOn(id) {
  let target = id && document.getElementById(id);
  if (!target) {
    return;
  }
  // A control inside a closed <details> cannot take focus: its summary takes it.
  const closed = target.closest("details:not([open])");
  if (closed && target.tagName !== "SUMMARY") {
    target = closed.querySelector("summary");
  }
  target.focus();
}

document.addEventListener("cmc:changed", (event) => {
  announce(event.detail.message);
  focusOn(event.detail.focus);
});

// A refused form comes back with its error summary at the top: focus goes there, as on GOV.UK
// services, so that the list of problems (each a link to its field) is read first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) {
    summary.focus();
  }
});
