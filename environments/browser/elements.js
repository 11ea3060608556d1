// Elements of one frame, in one round trip, as a JSON string. Boxes are CSS pixels relative to
// this frame's viewport: [left, top, right, bottom].
//
// Two passes. The first lists semantic controls (links, buttons, inputs, ARIA roles). The second
// walks the rest of the visible page for what a person would also click or read: elements with a
// click listener (recorded by page_init.js), a pointer cursor or an onclick property, SVG shapes
// that react to the pointer, text blocks, repeated records (rows, posts, cards) and scrollable
// containers. Regions a page marks with data-sp-outside (an embedding harness's instruction
// panel) are listed as such and nothing inside them is.
(opts) => {
  const SELECTOR = [
    'a[href]', 'button', 'input', 'select', 'textarea', 'summary', 'iframe', 'label[for]',
    '[role]', '[onclick]', '[contenteditable=""]', '[contenteditable="true"]',
    '[tabindex]:not([tabindex="-1"])',
  ].join(',');
  const OUTSIDE = '[data-sp-outside]';
  const ROLES = new Set([
    'button', 'link', 'checkbox', 'radio', 'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
    'option', 'combobox', 'textbox', 'searchbox', 'switch', 'slider', 'spinbutton', 'listbox',
    'treeitem', 'gridcell', 'columnheader', 'dialog', 'alertdialog',
  ]);
  // Controls whose inside is one target: their own text is not listed again.
  const ATOMIC = new Set(['A', 'BUTTON', 'LABEL', 'SELECT', 'TEXTAREA', 'SUMMARY', 'OPTION', 'INPUT']);
  const ATOMIC_ROLES = new Set([
    'button', 'link', 'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'checkbox',
    'radio', 'switch', 'treeitem',
  ]);
  const TEXT_INPUTS = new Set([
    'text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local',
    'month', 'week', 'time', '',
  ]);
  const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'META', 'LINK', 'BR', 'HTML', 'BODY']);
  const SHAPES = new Set(['circle', 'rect', 'ellipse', 'polygon', 'path', 'text', 'line', 'polyline', 'g', 'image']);
  const listened = (window.__sp && window.__sp.clickables) || null;
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
    const now = el.getAttribute('aria-valuenow');
    return now === null ? null : el.getAttribute('aria-valuetext') || now;
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
    if (el instanceof SVGElement && hit instanceof SVGElement && hit.ownerSVGElement === el.ownerSVGElement) {
      return hit.contains(el) || el.contains(hit) || hit === el.ownerSVGElement;
    }
    return !!(el.labels && Array.from(el.labels).some((l) => l.contains(hit)));
  };
  // Words of id and class names ("btn-trash", "replyIcon") name icons that carry no text.
  const hintOf = (el) => {
    const cls = typeof el.className === 'string' ? el.className : (el.getAttribute('class') || '');
    const raw = `${el.id || ''} ${cls}`.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    const words = raw.split(/[^a-z]+/).filter((w) => w.length > 1 && !/^(fa|fas|far|ui|js|icon|icons|btn|glyphicon|material|mdi|bi|el)$/.test(w));
    return Array.from(new Set(words)).slice(0, 8).join(' ');
  };
  const scrollOf = (el) => {
    if (el.scrollHeight <= el.clientHeight + 2 && el.scrollWidth <= el.clientWidth + 2) return null;
    const cs = getComputedStyle(el);
    const y = /(auto|scroll)/.test(cs.overflowY) && el.scrollHeight > el.clientHeight + 2;
    const x = /(auto|scroll)/.test(cs.overflowX) && el.scrollWidth > el.clientWidth + 2;
    if (!x && !y && el.tagName !== 'TEXTAREA') return null;
    return `${Math.round(el.scrollTop)}/${el.scrollHeight}/${el.clientHeight}`;
  };
  const ownText = (el) => {
    for (const n of el.childNodes) if (n.nodeType === 3 && n.data.trim()) return true;
    return false;
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
  const extra = [];
  const listed = new Set();
  const FOLDED = /\b(expandable|collapsed|closed)\b/;
  const baseAttributes = (el) => {
    const attributes = {};
    // a tree node or section whose container says it is folded ("li.expandable > span")
    const parent = el.parentElement;
    const pcls = parent && typeof parent.className === 'string' ? parent.className : '';
    if (FOLDED.test(pcls) && parent.firstElementChild === el) attributes.folded = 'true';
    for (const a of ['type', 'href', 'id', 'name', 'aria-expanded', 'aria-haspopup', 'data-testid', 'class',
      'min', 'max', 'step']) {
      const v = el.getAttribute(a);
      if (v !== null && v !== '') attributes[a] = clip(v, a === 'class' ? 120 : 200);
    }
    return attributes;
  };
  const active = document.activeElement;
  const describe = (n) => {
    if (!n || n.nodeType !== 1) return '';
    const cls = (typeof n.className === 'string' ? n.className : '').trim().split(/\s+/)[0];
    const words = clip(n.innerText || n.getAttribute('aria-label') || '', 40);
    return `${n.tagName.toLowerCase()}${n.id ? '#' + n.id : ''}${cls ? '.' + cls : ''}${words ? ` "${words}"` : ''}`;
  };
  // What a control's centre hits instead of the control: a backdrop, a banner, a dialog.
  const coverOf = (el, r) => {
    const x = Math.min(Math.max((r.left + r.right) / 2, 0), vw - 1);
    const y = Math.min(Math.max((r.top + r.bottom) / 2, 0), vh - 1);
    const hit = document.elementFromPoint(x, y);
    return hit && hit !== el && !el.contains(hit) && !hit.contains(el) ? describe(hit) : '';
  };
  const item = (el, r, role, visible, attributes, text) => {
    const rec = attributes['sp-kind'] === 'record' ? null : recordOf(el.parentElement || el);
    if (rec) attributes.record = rec;
    return itemOf(el, r, role, visible, attributes, text);
  };
  const itemOf = (el, r, role, visible, attributes, text) => ({
    role,
    tag: el.tagName.toLowerCase(),
    name: clip(nameOf(el), opts.maxText),
    text,
    value: valueOf(el),
    placeholder: clip(el.getAttribute('placeholder') || '', opts.maxText),
    box: [r.left, r.top, r.right, r.bottom],
    visible,
    enabled: !el.disabled && el.getAttribute('aria-disabled') !== 'true',
    editable: !!isEditable(el),
    checked: checkedOf(el),
    selected: el.getAttribute('aria-selected') === null ? null : el.getAttribute('aria-selected') === 'true',
    attributes,
  });

  // A record is one of several siblings built alike (same tag and class): a row, post or card.
  const RECORD_TAGS = new Set(['LI', 'TR', 'ARTICLE', 'SECTION']);
  const repeated = (el) => {
    const parent = el.parentElement;
    if (!parent || parent.children.length < 2 || el.childElementCount === 0) return false;
    const cls = el.getAttribute('class') || '';
    if (!cls && !RECORD_TAGS.has(el.tagName)) return false;
    let same = 0;
    for (const sib of parent.children) {
      if (sib.tagName === el.tagName && (sib.getAttribute('class') || '') === cls && ++same >= 2) {
        return !getComputedStyle(el).display.startsWith('inline');
      }
    }
    return false;
  };
  // Every item names the record (row, post, card) it belongs to, by the DOM, so a menu that
  // pops out of a post still belongs to that post.
  const recordIds = new Map();
  const recordMemo = new Map();
  const isRecord = (el) => {
    if (recordMemo.has(el)) return recordMemo.get(el);
    const r = el.getBoundingClientRect();
    const v = r.height >= 10 && !(el instanceof SVGElement) && repeated(el);
    recordMemo.set(el, v);
    return v;
  };
  // the ids of the records around el, nearest first ("3 1": in record 3, itself in record 1)
  const recordOf = (el) => {
    const ids = [];
    for (let n = el; n && n !== document.body; n = n.parentElement) {
      if (isRecord(n)) {
        if (!recordIds.has(n)) recordIds.set(n, String(recordIds.size + 1));
        ids.push(recordIds.get(n));
      }
    }
    return ids.length ? ids.join(' ') : null;
  };
  // -- pass 1: semantic controls -----------------------------------------------------------
  for (const el of document.querySelectorAll(SELECTOR)) {
    const explicit = el.getAttribute('role');
    const role = explicit || implicitRole(el);
    const native = el.matches('a[href],button,input,select,textarea,iframe,[onclick],[tabindex]');
    if (explicit && !ROLES.has(explicit) && !native) continue;
    if (el.closest(OUTSIDE)) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) continue;
    const inViewport = r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh;
    // off-screen elements are listed after the visible ones, up to the cap, without the
    // costly style and hit checks (long pages have thousands of them)
    if (!inViewport && outOfView.length >= opts.maxElements) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    const visible = inViewport && parseFloat(cs.opacity) > 0 && visibleAt(el, r, vw, vh);
    const attributes = baseAttributes(el);
    if (el === active) attributes.focused = 'true';
    if (inViewport && !visible) {
      const cover = coverOf(el, r);
      if (cover) attributes['covered-by'] = cover;
    }
    if (el.tagName === 'SELECT') {
      attributes.options = Array.from(el.options).slice(0, 50).map((o) => clip(o.text, 40)).join(' | ');
    }
    if (el.hasAttribute('data-sp-secret')) attributes.type = 'password';
    const scroll = inViewport ? scrollOf(el) : null;
    if (scroll) attributes.scroll = scroll;
    if (!nameOf(el) && !(el.innerText || '').trim()) {
      const hint = hintOf(el);
      if (hint) attributes.hint = hint;
    }
    const text = el.tagName === 'SELECT' ? '' : clip((inViewport ? el.innerText : el.textContent) || '', opts.maxText);
    if (visible && layerOf) markLayer(el, attributes);
    listed.add(el);
    (visible ? inView : outOfView).push(item(el, r, role, visible, attributes, text));
    if (el.tagName === 'SELECT' && (el.multiple || el.size > 1) && inViewport) {
      // a list box shows its options in place: each is a target of its own
      if (el.scrollHeight > el.clientHeight + 2) attributes.scroll = `${Math.round(el.scrollTop)}/${el.scrollHeight}/${el.clientHeight}`;
      for (const o of Array.from(el.options).slice(0, 200)) {
        const orect = o.getBoundingClientRect();
        if (orect.height <= 0) continue;
        const shown = visible && orect.top >= r.top - 1 && orect.bottom <= r.bottom + 1;
        const row = itemOf(o, orect, 'option', shown, { record: attributes.record || '' }, clip(o.text, opts.maxText));
        row.selected = o.selected;
        (shown ? inView : outOfView).push(row);
      }
    }
  }

  // -- pass 2: what else a person sees and clicks ------------------------------------------
  const pointerCache = new Map();
  const pointer = (el) => {
    if (!el || el.nodeType !== 1) return false;
    if (pointerCache.has(el)) return pointerCache.get(el);
    const v = getComputedStyle(el).cursor === 'pointer';
    pointerCache.set(el, v);
    return v;
  };
  const clickable = (el) => {
    if (listened && listened.has(el)) return true;
    if (typeof el.onclick === 'function' || typeof el.onmousedown === 'function') return true;
    // a pointer cursor marks the element that sets it, not every child that inherits it
    return pointer(el) && !pointer(el.parentElement);
  };
  const atomicMemo = new Map();
  const insideAtomic = (el) => {
    const parent = el.parentElement;
    if (!parent || parent === document.body) return false;
    if (atomicMemo.has(parent)) return atomicMemo.get(parent);
    const role = parent.getAttribute('role');
    const v = (listed.has(parent) && (ATOMIC.has(parent.tagName) || (role && ATOMIC_ROLES.has(role))))
      || insideAtomic(parent);
    atomicMemo.set(parent, v);
    return v;
  };
  const filter = (el) => {
    if (SKIP_TAGS.has(el.tagName)) return el.tagName === 'BODY' || el.tagName === 'HTML' ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_REJECT;
    if (el.matches(OUTSIDE)) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) extra.push(item(el, r, 'group', true, { 'sp-kind': 'outside' }, ''));
      return NodeFilter.FILTER_REJECT;  // the harness's panel is not part of the app
    }
    return NodeFilter.FILTER_ACCEPT;
  };
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_ELEMENT, filter);
  let visited = 0;
  let records = 0;
  for (let el = walker.nextNode(); el && visited < opts.maxVisit; el = walker.nextNode()) {
    visited += 1;
    if (listed.has(el)) continue;
    const r = el.getBoundingClientRect();
    // up to a screen beyond the viewport, so a menu or list clipped at its edge can be scrolled to
    if (r.width <= 0 || r.height <= 0 || r.right <= 0 || r.left >= vw || r.bottom <= -vh || r.top >= 2 * vh) continue;
    if (insideAtomic(el)) continue;
    const svgShape = el instanceof SVGElement && SHAPES.has(el.tagName.toLowerCase());
    const click = clickable(el);
    const text = !svgShape && ownText(el);
    const scroll = el.tagName !== 'svg' ? scrollOf(el) : null;
    const record = records < opts.maxRecords && !svgShape && isRecord(el) && (el.innerText || '').trim().length > 0;
    if (!click && !text && !scroll && !record) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none' || parseFloat(cs.opacity) === 0) continue;
    const attributes = baseAttributes(el);
    if (scroll) attributes.scroll = scroll;
    if (click || text) {
      const words = clip(el.innerText || el.textContent || '', opts.maxText);
      if (!words) {
        const hint = hintOf(el);
        if (hint) attributes.hint = hint;
      }
      attributes['sp-kind'] = click ? 'clickable' : 'text';
      const role = click ? 'generic' : 'text';
      extra.push(item(el, r, role, visibleAt(el, r, vw, vh), attributes, words));
    }
    if (record) {
      records += 1;
      recordOf(el);
      extra.push(item(el, r, 'group', true, { 'sp-kind': 'record', 'record-id': recordIds.get(el) }, ''));
    }
    if (scroll && !click && !text) {
      attributes['sp-kind'] = 'scroller';
      extra.push(item(el, r, 'group', true, attributes, ''));
    }
  }
  // hidden-by-clipping items come last: an explorer scrolls their container toward them
  const extras = extra.filter((e) => e.visible).concat(extra.filter((e) => !e.visible));
  const inViewCapped = inView.concat(extras.slice(0, opts.maxExtra));
  // one JSON string: far cheaper to move than a tree of protocol values
  return JSON.stringify({
    elements: inViewCapped.concat(outOfView).slice(0, opts.maxElements + opts.maxExtra),
    viewport: [vw, vh],
    secrets: document.querySelectorAll(opts.maskSelector).length,
    title: document.title,
    // a child frame's text: when the frame itself is a layer of its parent (a consent
    // frame), the layer's text is what the frame shows
    text: opts.frameText && document.body ? clip(document.body.innerText, 300) : '',
  });
}
