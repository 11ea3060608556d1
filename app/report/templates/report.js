// Step navigation: Prev/Next buttons, chips, and the j/k or arrow keys.
(function () {
  const steps = Array.from(document.querySelectorAll("article.step"));
  const chips = Array.from(document.querySelectorAll(".chip"));
  const position = document.getElementById("position");
  if (!steps.length || !position) return;
  let current = -1;
  function show(i, scroll) {
    if (i < 0 || i >= steps.length) return;
    current = i;
    steps.forEach((s, k) => s.classList.toggle("current", k === i));
    chips.forEach((c, k) => c.classList.toggle("current", k === i));
    position.textContent = "Step " + (i + 1) + " / " + steps.length;
    if (scroll) steps[i].scrollIntoView({ block: "start" });
    if (scroll) history.replaceState(null, "", "#" + steps[i].id);
  }
  document.getElementById("prev").addEventListener("click", () => show(Math.max(0, current - 1), true));
  document.getElementById("next").addEventListener("click", () => show(Math.min(steps.length - 1, current + 1), true));
  chips.forEach((c, k) => c.addEventListener("click", (e) => { e.preventDefault(); show(k, true); }));
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === "j" || e.key === "ArrowDown") { e.preventDefault(); show(Math.min(steps.length - 1, current + 1), true); }
    if (e.key === "k" || e.key === "ArrowUp") { e.preventDefault(); show(Math.max(0, current - 1), true); }
  });
  const start = steps.findIndex((s) => "#" + s.id === location.hash);
  show(start >= 0 ? start : 0, start >= 0);
})();
