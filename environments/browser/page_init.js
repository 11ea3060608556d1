// Installed in every frame before any page script runs (context.add_init_script).
// It records DOM activity and the work an action set in motion (timers, animation frames, a
// navigation) for the settle wait and for action effects, tags password fields
// so that they stay masked even after a "show password" toggle, notes which elements listen
// for pointer events, tells which layer (dialog, backdrop, banner) an element belongs to,
// and (optionally) replaces the native <select> pop-up, which headless screenshots never
// show, by an in-page option list.
(() => {
  if (window.__sp) return;
  const sp = (window.__sp = {
    lastMutation: performance.now(), mutations: 0, selectOverlay: __SP_SELECT_OVERLAY__,
  });
  const SECRET = 'data-sp-secret';
  // Elements with pointer listeners are clickable even when nothing else says so (a <span>
  // word with a click handler); the element collector reads this set.
  const POINTER_EVENTS = new Set(['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'dblclick', 'touchstart']);
  sp.clickables = new WeakSet();
  const addListener = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (POINTER_EVENTS.has(type) && this instanceof Element) sp.clickables.add(this);
    return addListener.call(this, type, listener, options);
  };
  const OVERLAY_ID = '__sp_select_overlay';

  const tagSecret = (el) => {
    if (el && el.tagName === 'INPUT' && el.type === 'password' && !el.hasAttribute(SECRET)) {
      el.setAttribute(SECRET, '1');
    }
  };
  const onMutations = (records) => {
    sp.lastMutation = performance.now();
    sp.mutations += records.length;
    for (const r of records) {
      if (r.type === 'attributes' && r.attributeName === 'type' && r.oldValue === 'password') {
        r.target.setAttribute(SECRET, '1');
      }
    }
  };
  new MutationObserver(onMutations).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true, attributeOldValue: true,
  });
  document.addEventListener('focusin', (ev) => tagSecret(ev.target), true);
  document.addEventListener('input', (ev) => tagSecret(ev.target), true);
  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('input[type=password]').forEach(tagSecret);
  });

  // The layer an element belongs to: its closest dialog (role, aria-modal, <dialog open>) or
  // fixed/sticky ancestor, classified by how it sits in the viewport. Layers are what
  // popups and overlays are made of; the popup handler and the hit test read them.
  const layerKind = (n) => {
    const role = n.getAttribute('role');
    if ((n.tagName === 'DIALOG' && n.open) || role === 'dialog' || role === 'alertdialog' ||
        n.getAttribute('aria-modal') === 'true') return 'dialog';
    const pos = getComputedStyle(n).position;
    if (pos !== 'fixed' && pos !== 'sticky') return '';
    const r = n.getBoundingClientRect();
    const vw = document.documentElement.clientWidth || innerWidth;
    const vh = document.documentElement.clientHeight || innerHeight;
    if (r.width * r.height >= 0.6 * vw * vh) return 'backdrop';
    if (r.width >= 0.6 * vw && (r.top <= 1 || r.bottom >= vh - 1)) return 'banner';
    return 'overlay';
  };
  const layerIds = new WeakMap();
  let nextLayer = 0;
  sp.layerOf = (el, cache) => {
    const seen = [];
    let found = null;
    for (let n = el; n && n.nodeType === 1 && n !== document.body && n !== document.documentElement;
      n = n.parentElement) {
      if (cache && cache.has(n)) { found = cache.get(n); break; }
      seen.push(n);
      const kind = layerKind(n);
      if (kind) {
        if (!layerIds.has(n)) layerIds.set(n, ++nextLayer);
        found = { node: n, kind, id: layerIds.get(n) };
        break;
      }
    }
    if (cache) for (const n of seen) cache.set(n, found);
    return found;
  };

  // What an action set in motion, for the settle wait: timers and animation frames that an
  // input event's handlers schedule (and those their callbacks schedule in turn, within a
  // second of the input) are the action's pending work, and so is a navigation about to
  // leave the page. Only short timers count (a second at most), and each for a second.
  const CAUSE_MS = 1000;
  sp.lastInput = -1e9;
  sp.caused = false;
  sp.pending = new Map();
  sp.navigating = -1e9;
  const nativeSetTimeout = window.setTimeout;
  const nativeClearTimeout = window.clearTimeout;
  const nativeFrame = window.requestAnimationFrame;
  const nativeCancelFrame = window.cancelAnimationFrame;
  const onInput = () => {
    sp.lastInput = performance.now();
    if (!sp.caused) {
      sp.caused = true;
      nativeSetTimeout.call(window, () => { sp.caused = false; }, 0);
    }
  };
  for (const type of ['pointerdown', 'pointerup', 'mousedown', 'mouseup', 'click', 'dblclick', 'contextmenu',
    'keydown', 'keyup', 'input', 'change', 'wheel', 'touchstart', 'touchend', 'submit']) {
    addListener.call(window, type, onInput, true);
  }
  addListener.call(window, 'beforeunload', () => { sp.navigating = performance.now(); }, true);
  // Scrolling is a change too, and it comes after the input that asks for it (a frame or
  // more later, smoothly): a wheel turn or a scrolling key outside a text field expects one.
  sp.scrolls = 0;
  sp.lastScroll = -1e9;
  sp.scrollExpected = -1e9;
  addListener.call(window, 'scroll', () => {
    sp.scrolls++;
    sp.lastScroll = performance.now();
  }, { capture: true, passive: true });
  sp.wheels = 0;  // wheel input reaches the page after the driver's call returns: counted
  addListener.call(window, 'wheel', () => {
    sp.wheels++;
    sp.scrollExpected = performance.now();
  }, { capture: true, passive: true });
  const SCROLL_KEYS = new Set(['PageDown', 'PageUp', 'Home', 'End', 'ArrowDown', 'ArrowUp', 'ArrowLeft',
    'ArrowRight', ' ']);
  addListener.call(window, 'keydown', (ev) => {
    const t = ev.target;
    const typing = t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
    if (SCROLL_KEYS.has(ev.key) && !typing) sp.scrollExpected = performance.now();
  }, true);
  const causedNow = () => sp.caused && performance.now() - sp.lastInput < CAUSE_MS;
  const tracked = (key, cb) => function (...args) {
    sp.pending.delete(key());
    const was = sp.caused;
    sp.caused = true;
    try { return cb.apply(this, args); } finally { sp.caused = was; }
  };
  window.setTimeout = function setTimeout(cb, delay, ...args) {
    const ms = Number(delay) || 0;
    if (typeof cb !== 'function' || ms > CAUSE_MS || !causedNow()) {
      return nativeSetTimeout.call(window, cb, delay, ...args);
    }
    let id = 0;
    id = nativeSetTimeout.call(window, tracked(() => 't' + id, cb), delay, ...args);
    sp.pending.set('t' + id, performance.now() + ms);
    return id;
  };
  window.clearTimeout = function clearTimeout(id) {
    sp.pending.delete('t' + id);
    return nativeClearTimeout.call(window, id);
  };
  window.requestAnimationFrame = function requestAnimationFrame(cb) {
    if (typeof cb !== 'function' || !causedNow()) return nativeFrame.call(window, cb);
    let id = 0;
    id = nativeFrame.call(window, tracked(() => 'r' + id, cb));
    sp.pending.set('r' + id, performance.now() + 16);
    return id;
  };
  window.cancelAnimationFrame = function cancelAnimationFrame(id) {
    sp.pending.delete('r' + id);
    return nativeCancelFrame.call(window, id);
  };

  if (!sp.selectOverlay) return;

  const closeOverlay = () => {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
    sp.openFor = null;
  };
  const choose = (select, index) => {
    if (select.selectedIndex !== index) {
      select.selectedIndex = index;
      select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    closeOverlay();
    select.focus();
  };
  const optionRow = (select, option, index) => {
    const row = document.createElement('div');
    row.setAttribute('role', 'option');
    row.setAttribute('aria-selected', String(option.selected));
    row.dataset.spIndex = String(index);
    row.textContent = option.label || option.text;
    const base = 'padding:4px 8px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;';
    const look = option.selected ? 'background:#1a73e8;color:#fff;' : 'background:#fff;color:#111;';
    row.style.cssText = base + look + (option.disabled ? 'color:#999;' : 'cursor:pointer;');
    if (option.disabled) row.setAttribute('aria-disabled', 'true');
    // mousedown keeps the focus on the <select>; click picks the option.
    row.addEventListener('mousedown', (ev) => ev.preventDefault());
    row.addEventListener('click', (ev) => {
      ev.preventDefault();
      ev.stopPropagation();
      if (!option.disabled) choose(select, index);
    });
    return row;
  };
  const openOverlay = (select) => {
    const r = select.getBoundingClientRect();
    const list = document.createElement('div');
    list.id = OVERLAY_ID;
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', select.getAttribute('aria-label') || select.name || 'options');
    Array.from(select.options).forEach((o, i) => list.appendChild(optionRow(select, o, i)));
    const rowH = 24;
    const wanted = Math.min(select.options.length * rowH + 2, 12 * rowH + 2);
    const below = innerHeight - r.bottom;
    const top = below >= wanted || below >= r.top ? r.bottom : Math.max(0, r.top - wanted);
    const height = Math.min(wanted, Math.max(below, r.top));
    list.style.cssText =
      'position:fixed;z-index:2147483647;box-sizing:border-box;overflow-y:auto;' +
      'font:14px/16px sans-serif;border:1px solid #555;background:#fff;' +
      'box-shadow:0 2px 8px rgba(0,0,0,.35);' +
      `left:${Math.max(0, r.left)}px;top:${top}px;min-width:${Math.max(r.width, 80)}px;` +
      `max-height:${height}px;`;
    document.documentElement.appendChild(list);
    sp.openFor = select;
  };
  document.addEventListener('mousedown', (ev) => {
    const t = ev.target;
    if (t && t.closest && t.closest('#' + OVERLAY_ID)) return;
    const wasOpenFor = sp.openFor;
    closeOverlay();
    const select = t && t.closest ? t.closest('select') : null;
    if (!select || select.multiple || select.size > 1 || select.disabled) return;
    ev.preventDefault();  // no native pop-up: it would be invisible to the policy
    select.focus();
    if (wasOpenFor !== select) openOverlay(select);  // a second press closes, as natively
  }, true);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') closeOverlay();
  }, true);
  addEventListener('scroll', (ev) => {
    const t = ev.target;
    if (!(t instanceof Element && t.closest('#' + OVERLAY_ID))) closeOverlay();
  }, true);
})();
