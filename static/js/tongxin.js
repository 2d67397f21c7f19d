// Tongxin's small behaviours. No inline scripts: the content security policy forbids them.
document.addEventListener("keydown", (event) => {
  // "/" focuses the global search, as in the tools staff already know.
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
  const box = document.getElementById("global-search");
  if (box) { event.preventDefault(); box.focus(); }
});

// Filter forms marked data-autosubmit submit when a select changes.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.tagName === "SELECT") form.requestSubmit();
});

// A full ID number typed into a list's search (form[data-id-search], sent in its URL) goes to
// the top bar's search instead, which posts it: an ID number never travels in a URL.
const ID_NUMBER = /^[0-9]{17}[0-9X]$/;
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches || !form.matches("form[data-id-search]")) return;
  const box = form.querySelector("input[name=q]");
  const text = box ? box.value.normalize("NFKC").replace(/\s+/g, "").toUpperCase() : "";
  const global = document.querySelector("form.tx-global-search");
  if (!ID_NUMBER.test(text) || !global) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  global.querySelector("input[name=q]").value = text;
  box.value = "";
  global.submit();
}, true);

// Buttons with data-confirm ask before submitting.
document.addEventListener("submit", (event) => {
  const message = event.submitter && event.submitter.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// The tree's loaded branches fold and unfold without a request.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tx-collapse]");
  if (!button) return;
  const list = button.parentElement.querySelector(":scope > ul");
  if (!list) return;
  const hidden = list.classList.toggle("d-none");
  button.querySelector("i").className = hidden ? "bi bi-caret-right-fill" : "bi bi-caret-down-fill";
  button.setAttribute("aria-label", hidden ? "展开" : "收起");
});

// After htmx loads a branch, its button folds it from then on.
document.addEventListener("htmx:afterSwap", (event) => {
  const list = event.detail.target;
  const button = list.parentElement && list.parentElement.querySelector(":scope > .tx-toggle[hx-get]");
  if (!button) return;
  // hx-trigger="click once": later clicks only fold and unfold.
  button.setAttribute("data-tx-collapse", "");
  button.querySelector("i").className = "bi bi-caret-down-fill";
});
