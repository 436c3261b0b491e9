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
