// Runs once as the js_on_load of the hidden #pc-bridge gr.HTML component.
// Chat messages are sanitised by Gradio (no data-* attributes, no scripts), so
// our links carry their meaning in the href fragment and are handled here:
//   a.pc-cite  href="#pc-<answer>-<n>"            -> scroll to that source card
//   a.pc-open  href="#pc-doc=<id>&chunk=<id>&n=<n>" -> ask Python to open the passage
window.__pcTrigger = trigger;
if (!window.__pcBridgeInstalled) {
  window.__pcBridgeInstalled = true;
  document.addEventListener("click", function (ev) {
    const el = ev.target instanceof Element ? ev.target : null;
    if (!el) return;
    const cite = el.closest("a.pc-cite");
    if (cite) {
      ev.preventDefault();
      ev.stopPropagation();
      const id = (cite.getAttribute("href") || "").slice(1);
      const card = id ? document.getElementById(id) : null;
      if (card) {
        card.scrollIntoView({ behavior: "smooth", block: "nearest" });
        card.classList.remove("pc-flash");
        void card.offsetWidth;
        card.classList.add("pc-flash");
      }
      return;
    }
    const open = el.closest("a.pc-open");
    if (open) {
      ev.preventDefault();
      ev.stopPropagation();
      const params = new URLSearchParams((open.getAttribute("href") || "").slice(1));
      window.__pcTrigger("click", {
        doc: params.get("pc-doc") || "",
        chunk: params.get("chunk") || "",
        n: params.get("n") || "",
      });
    }
  }, true);
}
