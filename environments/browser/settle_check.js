// One look at the page for the settle wait (the state `page_init.js` keeps): which document
// this is, how many DOM mutations it had and how long ago the last one was, and what is
// still under way: timers and animation frames an action scheduled, finite animations and
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
  return {
    doc: performance.timeOrigin,
    mutations: sp.mutations,
    since_mutation_ms: now - sp.lastMutation,
    timers,
    animations,
    navigating: now - sp.navigating < 1000,
    loading: document.readyState === 'loading',
  };
}
