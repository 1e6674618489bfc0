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

document.documentElement.classList.add("js");

// The board: a card dropped on another stage's column posts the move the card's "move to" page would, so the
// server does exactly what it does without JavaScript (and answers with the required-fields form when the stage
// needs more).
(() => {
  let dragged = null;
  const clear = () => document.querySelectorAll(".drop-target").forEach((column) => column.classList.remove("drop-target"));
  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".card[data-deal]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
  });
  document.addEventListener("dragend", () => { dragged = null; clear(); });
  document.addEventListener("dragover", (event) => {
    const column = event.target.closest && event.target.closest(".column[data-stage]");
    if (!dragged || !column) return;
    event.preventDefault();
    clear();
    column.classList.add("drop-target");
  });
  document.addEventListener("drop", (event) => {
    const column = event.target.closest && event.target.closest(".column[data-stage]");
    if (!dragged || !column || dragged.closest(".column") === column) return;
    event.preventDefault();
    const csrf = document.querySelector("input[name=_csrf]");
    const board = column.closest(".board");
    const form = document.createElement("form");
    form.method = "post";
    form.action = `/deals/${encodeURIComponent(dragged.dataset.deal)}/move`;
    const fields = {_csrf: csrf ? csrf.value : "", version: dragged.dataset.version, stage: column.dataset.stage,
                    return: board ? board.dataset.return : location.pathname + location.search};
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  });
})();
