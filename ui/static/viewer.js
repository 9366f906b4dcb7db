// js_on_load of the document viewer: bring the cited passage (#pc-focus) into view
// whenever the viewer shows a new document. The Library tab may still be hidden, or
// its table still growing, when the value arrives: retry until the mark is on screen.
function pcFocusVisible(mark) {
  const r = mark.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight;
}
function pcScrollToFocus(attempt) {
  const mark = element.querySelector("#pc-focus");
  if (!mark || attempt > 30) return;
  if (mark.offsetParent === null) {
    setTimeout(function () { pcScrollToFocus(attempt + 1); }, 100);
    return;
  }
  const box = element.querySelector(".pc-doc-text");
  if (box) {
    const top = mark.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
  if (!pcFocusVisible(mark)) mark.scrollIntoView({ block: "center" });
  if (attempt < 8) setTimeout(function () { pcScrollToFocus(attempt + 3); }, 250);
}
watch("value", function () { pcScrollToFocus(0); });
pcScrollToFocus(0);
