// The effect of one action, measured in the page: `begin` hit-tests the action's point (CSS
// pixels of the viewport) and remembers what it will compare; `end` says what changed.
// Same-origin frames are looked into; a cross-origin frame is reported as what was hit.
(arg) => {
  const sp = window.__sp || (window.__sp = { mutations: 0 });
  const INTERACTIVE = [
    'a[href]', 'button', 'input', 'select', 'textarea', 'summary', 'label', 'option',
    '[role=button]', '[role=link]', '[role=checkbox]', '[role=radio]', '[role=tab]',
    '[role=menuitem]', '[role=option]', '[role=switch]', '[role=textbox]', '[role=combobox]',
    '[role=slider]', '[role=treeitem]', '[onclick]', '[contenteditable=""]', '[contenteditable=true]',
    '[tabindex]:not([tabindex="-1"])',
  ].join(',');
  const ROLE_OF_TAG = { A: 'link', BUTTON: 'button', SELECT: 'select', TEXTAREA: 'textbox', SUMMARY: 'button' };
  const clip = (s, n) => {
    const t = (s || '').replace(/\s+/g, ' ').trim();
    return t.length > n ? t.slice(0, n - 1) + '…' : t;
  };
  const labelOf = (el) => {
    const t = (el.type || '').toLowerCase();
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(t)) return el.value;
    return el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('placeholder') ||
      (el.tagName === 'INPUT' || el.tagName === 'SELECT' ? '' : el.innerText) || '';
  };
  const describe = (el) => {
    if (!el) return '';
    const interactive = el.matches(INTERACTIVE);
    const role = el.getAttribute('role') || (interactive ? ROLE_OF_TAG[el.tagName] : '') ||
      (el.tagName === 'INPUT' ? `${(el.type || 'text').toLowerCase()} field` : '');
    let name = role || el.tagName.toLowerCase();
    if (!role || !labelOf(el)) {
      if (el.id) name += `#${el.id}`;
      else if (typeof el.className === 'string' && el.className.trim()) {
        name += '.' + el.className.trim().split(/\s+/)[0];
      }
    }
    const label = clip(labelOf(el), 40);
    return label ? `${name} '${label}'` : name;
  };
  const valueOf = (el) => {
    if (!el) return null;
    if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') {
      const t = (el.type || '').toLowerCase();
      if (t === 'password' || el.hasAttribute('data-sp-secret')) return '•'.repeat(el.value.length);
      if (el.tagName === 'SELECT') return el.selectedIndex >= 0 ? el.options[el.selectedIndex].text : '';
      return el.value;
    }
    return el.isContentEditable ? el.innerText : null;
  };
  const stateOf = (el) => {
    if (!el) return '';
    const checked = el.tagName === 'INPUT' ? el.checked : null;
    return [checked, el.getAttribute('aria-checked'), el.getAttribute('aria-selected'),
      el.getAttribute('aria-expanded'), el.getAttribute('aria-pressed'), el.open].join('|');
  };
  const STATE_NAMES = [['checked', 'unchecked'], ['checked', 'unchecked'], ['selected', 'not selected'],
    ['expanded', 'collapsed'], ['pressed', 'not pressed'], ['open', 'closed']];
  const stateWords = (el, before) => {
    const old = before.split('|');
    const now = stateOf(el).split('|');
    const words = [];
    now.forEach((v, i) => {
      if (v !== old[i] && v !== '' && v !== 'null') words.push(STATE_NAMES[i][v === 'true' ? 0 : 1]);
    });
    return words.join(', ') || 'changed';
  };
  const deepActive = () => {
    let a = document.activeElement;
    for (;;) {
      if (!a || a.tagName !== 'IFRAME') return a;
      let inner = null;
      try { inner = a.contentDocument && a.contentDocument.activeElement; } catch (e) { return a; }
      if (!inner || inner === a.contentDocument.body) return a;
      a = inner;
    }
  };
  const mutations = (win) => {
    let n = (win.__sp && win.__sp.mutations) || 0;
    for (let i = 0; i < win.frames.length; i++) {
      try { n += mutations(win.frames[i]); } catch (e) { /* cross-origin */ }
    }
    return n;
  };
  // The element under (x, y), looking into same-origin frames, and the interactive element
  // it covers when it is not interactive itself (searched below it in every frame's stack).
  const hitTest = (x, y) => {
    let doc = document;
    let win = window;
    let stack = doc.elementsFromPoint(x, y);
    let top = stack[0];
    const levels = [];
    while (top && top.tagName === 'IFRAME') {
      let inner = null;
      try { inner = top.contentDocument; } catch (e) { inner = null; }
      if (!inner) return { top, element: describe(top), target: '', covered: false, layer: 'iframe' };
      levels.unshift({ stack, frame: top, win });
      const r = top.getBoundingClientRect();
      x -= r.left + top.clientLeft;
      y -= r.top + top.clientTop;
      win = top.contentWindow;
      doc = inner;
      stack = doc.elementsFromPoint(x, y);
      top = stack[0];
    }
    if (!top) return null;
    const own = top.closest(INTERACTIVE);
    let target = own;
    let covered = false;
    const beneath = (list, over) => {
      for (const el of list) {
        if (el === over || el.contains(over)) continue;
        const t = el.closest(INTERACTIVE);
        if (t && !t.contains(over)) return t;
      }
      return null;
    };
    if (!own) {
      target = beneath(stack.slice(1), top);
      for (const level of levels) {
        if (target) break;
        target = beneath(level.stack, level.frame);
      }
      covered = !!target;
    }
    const layerOf = win.__sp && win.__sp.layerOf;
    let layer = layerOf ? layerOf(top) : null;
    for (const level of levels) {
      if (layer) break;
      const outer = level.win.__sp && level.win.__sp.layerOf;
      layer = outer ? outer(level.frame) : null;
    }
    const shown = own || top;
    return { top: target, element: describe(shown), target: target && target !== shown ? describe(target) : '',
      covered, layer: layer ? layer.kind : '' };
  };

  // scroll offsets of the page and of the elements under the point (scroll containers),
  // read again from the same elements afterwards
  const scrolls = (els) => [scrollX, scrollY, ...els.map((el) => el.scrollTop + el.scrollLeft)].join(',');

  if (arg.phase === 'begin') {
    const hit = arg.point ? hitTest(arg.point[0], arg.point[1]) : null;
    const active = deepActive();
    const target = (hit && hit.top) || active;
    sp.fx = { target, active, value: valueOf(target), state: stateOf(target),
      activeValue: valueOf(active), mutations: mutations(window), title: document.title,
      scrollEls: arg.point ? document.elementsFromPoint(arg.point[0], arg.point[1]) : [] };
    sp.fx.scrolls = scrolls(sp.fx.scrollEls);
    return hit ? { element: hit.element, target: hit.target, covered: hit.covered, layer: hit.layer } : null;
  }
  const fx = sp.fx;
  if (arg.phase === 'end') sp.fx = null;  // `peek` (the settle wait's looks) keeps it
  if (!fx) return { fresh: true, title: document.title, changes: [] };
  const changes = [];
  if (document.title !== fx.title) changes.push(['title', clip(document.title, 60)]);
  const active = deepActive();
  if (active !== fx.active) {
    const blurred = !active || active === document.body || active === document.documentElement;
    changes.push(blurred ? ['blur', `${describe(fx.active)} lost the focus`] : ['focus', `to ${describe(active)}`]);
  }
  if (fx.target && valueOf(fx.target) !== fx.value) {
    changes.push(['value', `${describe(fx.target)} now holds ${JSON.stringify(clip(valueOf(fx.target), 40))}`]);
  } else if (fx.active && fx.active !== fx.target && valueOf(fx.active) !== fx.activeValue) {
    changes.push(['value', `${describe(fx.active)} now holds ${JSON.stringify(clip(valueOf(fx.active), 40))}`]);
  }
  if (fx.target && stateOf(fx.target) !== fx.state) {
    changes.push(['checked', `${describe(fx.target)} is now ${stateWords(fx.target, fx.state)}`]);
  }
  if (scrolls(fx.scrollEls) !== fx.scrolls) changes.push(['scroll', 'the page or a list scrolled']);
  const dom = mutations(window) - fx.mutations;
  if (dom > 0) changes.push(['dom', `${dom} DOM mutation${dom === 1 ? '' : 's'}`]);
  return { fresh: false, title: document.title, changes };
}
