// Interactive elements of one frame, in one round trip, as a JSON string. Boxes are CSS pixels relative to
// this frame's viewport: [left, top, right, bottom].
(opts) => {
  const SELECTOR = [
    'a[href]', 'button', 'input', 'select', 'textarea', 'summary', 'iframe', 'label[for]',
    '[role]', '[onclick]', '[contenteditable=""]', '[contenteditable="true"]',
    '[tabindex]:not([tabindex="-1"])',
  ].join(',');
  const ROLES = new Set([
    'button', 'link', 'checkbox', 'radio', 'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
    'option', 'combobox', 'textbox', 'searchbox', 'switch', 'slider', 'spinbutton', 'listbox',
    'treeitem', 'gridcell', 'columnheader', 'dialog', 'alertdialog',
  ]);
  const TEXT_INPUTS = new Set([
    'text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local',
    'month', 'week', 'time', '',
  ]);
  const clip = (s, n) => {
    const t = (s || '').replace(/\s+/g, ' ').trim();
    return t.length > n ? t.slice(0, n - 1) + '…' : t;
  };
  const implicitRole = (el) => {
    const tag = el.tagName.toLowerCase();
    if (tag === 'a') return 'link';
    if (tag === 'button' || tag === 'summary') return 'button';
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'iframe') return 'frame';
    if (tag === 'label') return 'label';
    if (tag === 'input') {
      const t = (el.type || 'text').toLowerCase();
      if (t === 'checkbox' || t === 'radio') return t;
      if (['button', 'submit', 'reset', 'image'].includes(t)) return 'button';
      if (t === 'range') return 'slider';
      if (t === 'search') return 'searchbox';
      return 'textbox';
    }
    if (el.isContentEditable) return 'textbox';
    return 'generic';
  };
  const labelledBy = (el) => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    return ids.map((id) => document.getElementById(id)).filter(Boolean).map((n) => n.innerText).join(' ');
  };
  const nameOf = (el) => {
    const aria = el.getAttribute('aria-label') || labelledBy(el);
    if (aria) return aria;
    if (el.labels && el.labels.length) return Array.from(el.labels).map((l) => l.innerText).join(' ');
    const t = (el.type || '').toLowerCase();
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(t)) return el.value;
    return el.getAttribute('alt') || el.getAttribute('title') || '';
  };
  const valueOf = (el) => {
    const tag = el.tagName;
    if (tag === 'SELECT') return el.selectedIndex >= 0 ? el.options[el.selectedIndex].text : '';
    if (tag === 'TEXTAREA') return el.value;
    if (tag === 'INPUT') {
      const t = (el.type || 'text').toLowerCase();
      if (t === 'password' || el.hasAttribute('data-sp-secret')) return '•'.repeat(el.value.length);
      if (['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file'].includes(t)) return null;
      return el.value;
    }
    if (el.isContentEditable) return clip(el.innerText, opts.maxText);
    return null;
  };
  const isEditable = (el) => {
    if (el.disabled || el.readOnly) return false;
    if (el.tagName === 'TEXTAREA') return true;
    if (el.tagName === 'INPUT') return TEXT_INPUTS.has((el.type || '').toLowerCase());
    return el.isContentEditable;
  };
  const checkedOf = (el) => {
    if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) return el.checked;
    const aria = el.getAttribute('aria-checked');
    return aria === null ? null : aria === 'true';
  };
  const visibleAt = (el, r, vw, vh) => {
    if (r.right <= 0 || r.bottom <= 0 || r.left >= vw || r.top >= vh) return false;
    const x = Math.min(Math.max((r.left + r.right) / 2, 0), vw - 1);
    const y = Math.min(Math.max((r.top + r.bottom) / 2, 0), vh - 1);
    const hit = document.elementFromPoint(x, y);
    if (!hit) return false;
    if (hit === el || el.contains(hit)) return true;
    return !!(el.labels && Array.from(el.labels).some((l) => l.contains(hit)));
  };
  const vw = document.documentElement.clientWidth || innerWidth;
  const vh = document.documentElement.clientHeight || innerHeight;
  // visible elements that sit in a layer (a dialog, a backdrop, a fixed banner) say so,
  // with the layer's text, so that popups can be recognised from the element list alone
  const layerOf = window.__sp && window.__sp.layerOf;
  const layerCache = new Map();
  const layerText = new Map();
  const markLayer = (el, attributes) => {
    const layer = layerOf(el, layerCache);
    if (!layer) return;
    if (!layerText.has(layer.node)) layerText.set(layer.node, clip(layer.node.innerText, 300));
    attributes.layer = layer.kind;
    attributes.layer_id = String(layer.id);
    attributes.layer_text = layerText.get(layer.node);
  };
  const inView = [];
  const outOfView = [];
  for (const el of document.querySelectorAll(SELECTOR)) {
    const explicit = el.getAttribute('role');
    const role = explicit || implicitRole(el);
    const native = el.matches('a[href],button,input,select,textarea,iframe,[onclick],[tabindex]');
    if (explicit && !ROLES.has(explicit) && !native) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) continue;
    const inViewport = r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh;
    // off-screen elements are listed after the visible ones, up to the cap, without the
    // costly style and hit checks (long pages have thousands of them)
    if (!inViewport && outOfView.length >= opts.maxElements) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    const visible = inViewport && parseFloat(cs.opacity) > 0 && visibleAt(el, r, vw, vh);
    const attributes = {};
    for (const a of ['type', 'href', 'id', 'name', 'aria-expanded', 'aria-haspopup', 'data-testid']) {
      const v = el.getAttribute(a);
      if (v !== null && v !== '') attributes[a] = clip(v, 200);
    }
    if (el.tagName === 'SELECT') {
      attributes.options = Array.from(el.options).slice(0, 50).map((o) => clip(o.text, 40)).join(' | ');
    }
    if (el.hasAttribute('data-sp-secret')) attributes.type = 'password';
    if (visible && layerOf) markLayer(el, attributes);
    const item = {
      role,
      tag: el.tagName.toLowerCase(),
      name: clip(nameOf(el), opts.maxText),
      text: el.tagName === 'SELECT' ? '' : clip((inViewport ? el.innerText : el.textContent) || '', opts.maxText),
      value: valueOf(el),
      placeholder: clip(el.getAttribute('placeholder') || '', opts.maxText),
      box: [r.left, r.top, r.right, r.bottom],
      visible,
      enabled: !el.disabled && el.getAttribute('aria-disabled') !== 'true',
      editable: isEditable(el),
      checked: checkedOf(el),
      selected: el.getAttribute('aria-selected') === null ? null : el.getAttribute('aria-selected') === 'true',
      attributes,
    };
    (visible ? inView : outOfView).push(item);
  }
  // one JSON string: far cheaper to move than a tree of protocol values
  return JSON.stringify({
    elements: inView.concat(outOfView).slice(0, opts.maxElements),
    viewport: [vw, vh],
    secrets: document.querySelectorAll(opts.maskSelector).length,
    // a child frame's text: when the frame itself is a layer of its parent (a consent
    // frame), the layer's text is what the frame shows
    text: opts.frameText && document.body ? clip(document.body.innerText, 300) : '',
  });
}
