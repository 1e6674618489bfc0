// Kvota's one script. Every page works without it; it only makes some things quicker.
"use strict";

// Forms that ask before they act (revoking a token, deleting): the question is in the data-confirm attribute,
// already in the user's language.
document.addEventListener("submit", (event) => {
  const question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// Keyboard shortcuts: "g" then a letter goes to a section (the letters are in each menu link's data-key); "/" goes
// to the page's search or first filter; "n" follows the page's "new" button; "j" and "k" move through a list's rows
// and Enter opens the row's first link.
(() => {
  let pending = false;
  let row = -1;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    if (target.isContentEditable) return;
    if (pending) {
      pending = false;
      const link = document.querySelector(`nav.main a[data-key="${CSS.escape(event.key)}"]`);
      if (link) { event.preventDefault(); link.click(); }
      return;
    }
    if (event.key === "g") { pending = true; return; }
    if (event.key === "/") {
      const field = document.querySelector("main input[type=search], form.filters input, form.filters select");
      if (field) { event.preventDefault(); field.focus(); }
      return;
    }
    if (event.key === "n") {
      const create = document.querySelector("main .actions a.button:not(.quiet)");
      if (create) { event.preventDefault(); create.click(); }
      return;
    }
    const rows = Array.from(document.querySelectorAll("table.list tbody tr"));
    if (!rows.length) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      rows.forEach((r) => r.classList.remove("current"));
      row = Math.max(0, Math.min(rows.length - 1, row + (event.key === "j" ? 1 : -1)));
      rows[row].classList.add("current");
      rows[row].scrollIntoView({block: "nearest"});
    } else if (event.key === "Enter" && row >= 0 && target === document.body) {
      const link = rows[row] && rows[row].querySelector("a[href]");
      if (link) { event.preventDefault(); link.click(); }
    }
  });
})();

// Inline edits: a fact marked data-edit (the deal page's amount, close date, contact) turns into the matching field
// of the page's edit form when clicked or when Enter is pressed on it; Enter or leaving the field posts that form,
// which carries the other fields unchanged, and Escape puts the fact back. Without JavaScript the form is there.
(() => {
  const open = (fact) => {
    const form = document.getElementById("deal-edit");
    const source = form && form.elements[fact.dataset.edit];
    if (!source || fact.querySelector("input, select")) return;
    const original = fact.innerHTML;
    const editor = source.cloneNode(true);
    editor.removeAttribute("id");
    editor.value = source.value;
    editor.setAttribute("aria-label", fact.previousElementSibling ? fact.previousElementSibling.textContent : fact.dataset.edit);
    fact.textContent = "";
    fact.appendChild(editor);
    editor.focus();
    let done = false;
    const save = () => {
      if (done) return;
      done = true;
      if (editor.value === source.value) { fact.innerHTML = original; return; }
      source.value = editor.value;
      form.submit();
    };
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); save(); }
      if (event.key === "Escape") { done = true; fact.innerHTML = original; fact.focus(); }
    });
    editor.addEventListener("blur", save);
    if (editor instanceof HTMLSelectElement) editor.addEventListener("change", save);
  };
  document.addEventListener("click", (event) => {
    const fact = event.target.closest && event.target.closest("[data-edit]");
    if (fact) open(fact);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-edit]")) { event.preventDefault(); open(event.target); }
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

// Print buttons (the daily meeting, the plan board, the weekly summary): a data attribute, not an inline handler,
// because the Content-Security-Policy runs no inline script.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
});
