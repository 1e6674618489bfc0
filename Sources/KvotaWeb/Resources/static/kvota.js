// Kvota's one script. Every page works without it; it only makes some things quicker.
"use strict";

// Forms that ask before they act (revoking a token, deleting): the question is in the data-confirm attribute,
// already in the user's language.
document.addEventListener("submit", (event) => {
  const question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// Keyboard shortcuts: "g" then a letter goes to a section (the letters are in each menu link's data-key).
(() => {
  let pending = false;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    if (target.isContentEditable) return;
    if (!pending) { pending = event.key === "g"; return; }
    pending = false;
    const link = document.querySelector(`nav.main a[data-key="${CSS.escape(event.key)}"]`);
    if (link) { event.preventDefault(); link.click(); }
  });
})();
