// One look at the page for the settle wait (the state `page_init.js` keeps): which document
// this is, how many changes (DOM mutations, scrolls) it had and how long ago the last one
// was, and what is still under way: a scroll an input asked for, timers and animation frames an action scheduled, finite animations and
// transitions that are running (an endless spinner does not count), a navigation leaving
// the page, a document still being parsed. `null` when the page has no instrumentation.
() => {
  const sp = window.__sp;
  if (!sp || !sp.pending) return null;
  const now = performance.now();
  let timers = 0;
  for (const due of sp.pending.values()) {
    if (due > now - 1000) timers++;  // a timer long overdue (a throttled frame) holds no more
  }
  let animations = 0;
  for (const a of document.getAnimations()) {
    if (a.playState !== 'running' || !a.effect) continue;
    if (Number.isFinite(a.effect.getComputedTiming().endTime)) animations++;
  }
  // a scroll that an input asked for and that has not come yet (none comes where nothing
  // can scroll: it is expected for a tenth of a second)
  const scrollDue = sp.lastScroll < sp.scrollExpected && now - sp.scrollExpected < 100;
  return {
    doc: performance.timeOrigin,
    changes: sp.mutations + sp.scrolls,
    wheels: sp.wheels,
    since_change_ms: now - Math.max(sp.lastMutation, sp.lastScroll),
    scrolling: scrollDue,
    timers,
    animations,
    navigating: now - sp.navigating < 1000,
    loading: document.readyState === 'loading',
  };
}
