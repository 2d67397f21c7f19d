// Branch work pages: attendance toggles and searchable pickers. No inline scripts (CSP).

// "全部应到" ticks every member as expected; "应到者全部实到" ticks present for everyone expected.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tx-check]");
  if (!button) return;
  const list = button.closest("#attendance");
  if (!list) return;
  const which = button.dataset.txCheck;
  list.querySelectorAll('input[name="expected"]').forEach((box) => {
    if (which === "expected") box.checked = true;
    if (which === "present" && box.checked) {
      const present = list.querySelector(`#present-${box.value}`);
      if (present) present.checked = true;
    }
  });
});

// A search box above each select marked data-tx-filter: typing a name, its pinyin or its
// initials hides the other options (chosen ones stay visible).
function addFilter(select) {
  if (select.dataset.txFilterReady) return;
  select.dataset.txFilterReady = "1";
  const box = document.createElement("input");
  box.type = "search";
  box.className = "form-control form-control-sm mb-1";
  box.placeholder = "输入姓名、拼音或简拼筛选";
  box.setAttribute("aria-label", "筛选" + (select.labels && select.labels[0] ? select.labels[0].textContent.trim() : ""));
  select.parentElement.insertBefore(box, select);
  box.addEventListener("input", () => {
    const wanted = box.value.trim().toLowerCase();
    for (const option of select.options) {
      const text = (option.textContent + " " + (option.dataset.search || "")).toLowerCase();
      option.hidden = Boolean(wanted) && !option.selected && !text.includes(wanted);
    }
  });
  // Enter in the box must not submit the form.
  box.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
}

function addFilters(root) {
  root.querySelectorAll("select[data-tx-filter]").forEach(addFilter);
}

document.addEventListener("DOMContentLoaded", () => addFilters(document));
document.addEventListener("htmx:afterSwap", (event) => addFilters(event.detail.target));

// The attendance list is read again when the date or the organization changes. Ticks made
// while that request was on its way are newer than the ones it carried: keep them.
let pendingTicks = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  const list = document.getElementById("attendance");
  if (!list || event.detail.target !== list) return;
  pendingTicks = new Map();
  list.querySelectorAll("input[type=checkbox]").forEach((box) => pendingTicks.set(box.id, box.checked));
});
document.addEventListener("htmx:afterSettle", () => {
  if (!pendingTicks) return;
  const list = document.getElementById("attendance");
  if (list) {
    list.querySelectorAll("input[type=checkbox]").forEach((box) => {
      if (pendingTicks.has(box.id)) box.checked = pendingTicks.get(box.id);
    });
  }
  pendingTicks = null;
});
