// js_on_load of the responsibilities table (#pc-rsp-table). Each row's
// "Xem trong văn bản" link (a.pc-rsp-open, data-key = the record's key) asks
// Python to open the record's source passage in the Library tab's viewer,
// like the chat's source cards do through the click bridge.
element.addEventListener("click", function (ev) {
  const el = ev.target instanceof Element ? ev.target : null;
  const link = el ? el.closest("a.pc-rsp-open") : null;
  if (!link || !element.contains(link)) return;
  ev.preventDefault();
  ev.stopPropagation();
  element.querySelectorAll("tr.pc-rsp-opened").forEach(function (row) { row.classList.remove("pc-rsp-opened"); });
  const row = link.closest("tr");
  if (row) row.classList.add("pc-rsp-opened");
  trigger("click", { key: link.getAttribute("data-key") || "" });
});
