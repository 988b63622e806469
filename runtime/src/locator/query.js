// Resolves a locator's steps to elements and runs one operation on them. Called with
// (steps, op, arg) by runtime/src/locator/mod.rs on every use: nothing is cached in the page,
// so a re-rendered element is found again.
async (steps, op, arg) => {
  const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'TITLE']);
  // The text a reader could see in the markup: text nodes outside scripts and styles, the
  // contents of open shadow roots included (a web component's text is part of the page).
  const textOf = (el) => {
    if (SKIP.has(el.tagName)) return '';
    let out = '';
    const walk = (node) => {
      if (node.shadowRoot) walk(node.shadowRoot);
      for (const n of node.childNodes) {
        if (n.nodeType === Node.TEXT_NODE) out += n.data;
        else if (n.nodeType === Node.ELEMENT_NODE && !SKIP.has(n.tagName)) walk(n);
      }
    };
    walk(el);
    return norm(out);
  };
  // Open shadow roots are searched like the rest of the page, as in Playwright; closed ones
  // stay closed. Every open shadow root under `root`, nested ones too.
  const shadowRootsIn = (root) => {
    const out = [];
    const visit = (r) => {
      for (const el of r.querySelectorAll('*')) {
        if (el.shadowRoot) { out.push(el.shadowRoot); visit(el.shadowRoot); }
      }
    };
    if (root.shadowRoot) { out.push(root.shadowRoot); visit(root.shadowRoot); }
    visit(root);
    return out;
  };
  // Across shadow boundaries: a shadow root's parent is its host.
  const parentOf = (n) => (n instanceof ShadowRoot ? n.host : n.parentNode);
  const containsComposed = (a, b) => {
    for (let n = b; n; n = parentOf(n)) if (n === a) return true;
    return false;
  };
  const closestComposed = (el, selector) => {
    for (let n = el; n; n = parentOf(n)) if (n.nodeType === Node.ELEMENT_NODE && n.matches(selector)) return n;
    return null;
  };
  const childrenOf = (el) => [...el.children, ...(el.shadowRoot ? el.shadowRoot.children : [])];
  const renderedText = (el) => (el instanceof HTMLElement ? el.innerText : el.textContent) ?? '';
  const matchesText = (text, m) => m.exact ? norm(text) === norm(m.text)
    : norm(text).toLowerCase().includes(norm(m.text).toLowerCase());

  const isVisible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    return getComputedStyle(el).visibility !== 'hidden';
  };
  const isEnabled = (el) => !(el.matches(':disabled') || closestComposed(el, '[aria-disabled=true]'));
  const TEXT_INPUTS = new Set(['', 'text', 'search', 'email', 'tel', 'url', 'password', 'number']);
  // Why `el` cannot take typed text at all (not a wait: a wrong element), or null.
  const notTextField = (el) => {
    if (el instanceof HTMLInputElement) {
      return TEXT_INPUTS.has(el.type) ? null
        : `an <input type=${el.type}>, not a text field`;
    }
    if (el instanceof HTMLTextAreaElement || el.isContentEditable) return null;
    return `a <${el.tagName.toLowerCase()}>, not a text field`;
  };
  const hasValue = (el) => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement;

  const roleOf = (el) => {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0];
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    const sectioning = () => !!el.parentElement?.closest('article, aside, main, nav, section');
    switch (tag) {
      case 'a': case 'area': return el.hasAttribute('href') ? 'link' : null;
      case 'button': return 'button';
      case 'input': {
        const type = el.type;
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        if (type === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
        if (['text', 'email', 'tel', 'url', 'password'].includes(type))
          return el.hasAttribute('list') ? 'combobox' : type === 'password' ? null : 'textbox';
        return null;
      }
      case 'textarea': return 'textbox';
      case 'select': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
      case 'option': return 'option';
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': return 'heading';
      case 'img': return el.getAttribute('alt') === '' ? 'presentation' : 'img';
      case 'ul': case 'ol': return 'list';
      case 'li': return 'listitem';
      case 'nav': return 'navigation';
      case 'main': return 'main';
      case 'header': return sectioning() ? null : 'banner';
      case 'footer': return sectioning() ? null : 'contentinfo';
      case 'aside': return 'complementary';
      case 'article': return 'article';
      case 'form': return 'form';
      case 'dialog': return 'dialog';
      case 'table': return 'table';
      case 'tr': return 'row';
      case 'td': return 'cell';
      case 'th': return 'columnheader';
      case 'p': return 'paragraph';
      case 'hr': return 'separator';
      case 'fieldset': return 'group';
      case 'progress': return 'progressbar';
      case 'section': return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : null;
      default: return null;
    }
  };
  const NAME_FROM_CONTENT = new Set(['button', 'link', 'heading', 'cell', 'columnheader',
    'option', 'listitem', 'checkbox', 'radio', 'tab', 'menuitem', 'treeitem', 'row', 'switch']);
  // Name from content: text, and the names of images and labelled children inside.
  const contentName = (el) => {
    let out = '';
    for (const n of [...(el.shadowRoot ? el.shadowRoot.childNodes : []), ...el.childNodes]) {
      if (n.nodeType === Node.TEXT_NODE) out += n.data;
      else if (n.nodeType === Node.ELEMENT_NODE && !SKIP.has(n.tagName) && n.getAttribute('aria-hidden') !== 'true') {
        out += ' ' + (n.getAttribute('aria-label') || (n.tagName === 'IMG' ? n.getAttribute('alt') || '' : contentName(n))) + ' ';
      }
    }
    return norm(out);
  };
  const accessibleName = (el) => {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) {
      const root = el.getRootNode();
      const byId = (id) => (root.getElementById ? root.getElementById(id) : null) ?? document.getElementById(id);
      return norm(labelledby.split(/\s+/).map((id) => byId(id)?.textContent ?? '').join(' '));
    }
    const label = el.getAttribute('aria-label');
    if (label && norm(label)) return norm(label);
    if (el.labels && el.labels.length) return norm([...el.labels].map((l) => textOf(l)).join(' '));
    if (el instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(el.type)) {
      return norm(el.value || (el.type === 'submit' ? 'Submit' : el.type === 'reset' ? 'Reset' : ''));
    }
    if (el.hasAttribute('alt')) return norm(el.getAttribute('alt'));
    if (NAME_FROM_CONTENT.has(roleOf(el))) return contentName(el);
    return norm(el.getAttribute('title') || el.getAttribute('placeholder') || '');
  };
  const isHiddenFromRoles = (el) => {
    if (closestComposed(el, '[aria-hidden=true]')) return true;
    // Options of a closed <select> are not rendered, yet are there for assistive technology.
    const of = ['OPTION', 'OPTGROUP'].includes(el.tagName) && el.closest('select');
    if (of) return isHiddenFromRoles(of);
    return el.checkVisibility ? !el.checkVisibility({ visibilityProperty: true }) : !isVisible(el);
  };

  const inOrder = (set) => {
    const els = [...set];
    if (els.length < 2) return els;
    if (els.every((el) => el.getRootNode() === document)) {
      return els.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    }
    // Elements of several trees: their order in one walk of the page, a shadow root's
    // contents right after its host.
    const rank = new Map();
    const visit = (r) => {
      for (const el of r.querySelectorAll('*')) {
        rank.set(el, rank.size);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return els.sort((a, b) => rank.get(a) - rank.get(b));
  };
  // Elements under `roots` (themselves excluded) that `keep` accepts, in page order.
  const within = (roots, keep) => {
    const found = new Set();
    for (const root of roots) {
      for (const tree of [root, ...shadowRootsIn(root)]) {
        for (const el of tree.querySelectorAll('*')) if (!SKIP.has(el.tagName) && keep(el)) found.add(el);
      }
    }
    return inOrder(found);
  };
  // Each top-level part of a selector list, split at commas outside (), [] and quotes.
  const parts = (selector) => {
    const out = [];
    let depth = 0, quote = null, start = 0;
    for (let i = 0; i < selector.length; i++) {
      const c = selector[i];
      if (quote) { if (c === '\\') i++; else if (c === quote) quote = null; continue; }
      if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === ',' && depth === 0) { out.push(selector.slice(start, i)); start = i + 1; }
    }
    out.push(selector.slice(start));
    return out;
  };
  // A selector under an element is matched from that element (`:scope`), as a chain reads.
  // A selector matches within one tree (the page, or one shadow root): combinators do not
  // cross a shadow boundary, a chain does (`locator("my-card").locator("button")`).
  const css = (roots, selector) => {
    const found = new Set();
    for (const root of roots) {
      const scoped = root === document ? selector : parts(selector).map((p) => `:scope ${p.trim()}`).join(', ');
      for (const el of root.querySelectorAll(scoped)) found.add(el);
      for (const tree of shadowRootsIn(root)) for (const el of tree.querySelectorAll(selector)) found.add(el);
    }
    return inOrder(found);
  };

  let els = [document];
  try {
    for (const step of steps) {
      switch (step.kind) {
        case 'css':
          try {
            els = css(els, step.selector);
          } catch (e) {
            return { invalid: `\`${step.selector}\` is not a valid CSS selector` };
          }
          break;
        case 'text': {
          // The innermost elements whose text matches: a match whose child also matches is
          // the child's container, not what the user means.
          const hit = (el) => matchesText(textOf(el), step.match);
          els = within(els, (el) => hit(el) && !childrenOf(el).some((c) => !SKIP.has(c.tagName) && hit(c)));
          break;
        }
        case 'test_id':
          els = css(els, step.attributes.map((a) => `[${CSS.escape(a)}="${CSS.escape(step.value)}"]`).join(','));
          break;
        case 'role':
          els = within(els, (el) => roleOf(el) === step.role && !isHiddenFromRoles(el) &&
            (step.name == null || matchesText(accessibleName(el), { text: step.name, exact: false })));
          break;
        case 'nth': {
          const el = els.at(step.index);
          els = el ? [el] : [];
          break;
        }
        case 'has_text':
          els = els.filter((el) => matchesText(textOf(el), step.match) !== step.negate);
          break;
      }
    }
  } catch (e) {
    return { invalid: `${e.name}: ${e.message}` };
  }

  if (op === 'count') return { count: els.length };
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    for (const c of [...el.classList].slice(0, 2)) d += `.${c}`;
    const t = textOf(el);
    if (t) d += ` "${t.length > 30 ? t.slice(0, 29) + '…' : t}"`;
    return d;
  };
  if (els.length > 1) return { count: els.length, many: els.slice(0, 3).map(describe) };
  const el = els[0];
  if (!el) return { count: 0 };
  const isPassword = el instanceof HTMLInputElement && el.type === 'password';

  switch (op) {
    case 'state': {
      const checkable = el instanceof HTMLInputElement && ['checkbox', 'radio'].includes(el.type);
      const ariaChecked = el.getAttribute('aria-checked');
      return {
        count: 1,
        visible: isVisible(el),
        enabled: isEnabled(el),
        checked: checkable ? el.checked : ariaChecked === null ? null : ariaChecked === 'true',
        text: renderedText(el),
        value: hasValue(el) ? String(el.value) : null,
        password: isPassword,
        attribute: arg == null ? null : el.getAttribute(arg),
      };
    }
    case 'click': {
      if (!isVisible(el)) return { count: 1, waiting: 'not visible' };
      if (!isEnabled(el)) return { count: 1, waiting: 'disabled' };
      el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
      const boxes = () => [...el.getClientRects()].map((r) => [r.x, r.y, r.width, r.height].join());
      const before = boxes().join(';');
      // One animation frame apart (or 50 ms when frames are not being produced).
      await new Promise((done) => { requestAnimationFrame(() => done()); setTimeout(done, 50); });
      if (boxes().join(';') !== before) return { count: 1, waiting: 'moving (not stable)' };
      if (getComputedStyle(el).pointerEvents === 'none') {
        return { count: 1, waiting: 'not receiving pointer events (pointer-events: none)' };
      }
      // The middle of the first of its boxes (a wrapped link has one per line) that the
      // element itself receives, within the viewport.
      // The innermost element at a point: into open shadow roots, where the page's own
      // answer stops at the host.
      const hitAt = (x, y) => {
        let hit = document.elementFromPoint(x, y);
        while (hit?.shadowRoot) {
          const inner = hit.shadowRoot.elementFromPoint(x, y);
          if (!inner || inner === hit) break;
          hit = inner;
        }
        return hit;
      };
      let covered = null;
      let inside = false;
      for (const r of el.getClientRects()) {
        const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
        const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
        if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) continue;
        inside = true;
        const hit = hitAt(x, y);
        if (hit && (containsComposed(el, hit) || (el.labels && [...el.labels].some((l) => containsComposed(l, hit))))) {
          return { count: 1, x, y };
        }
        covered ??= hit;
      }
      if (!inside) return { count: 1, waiting: 'outside the viewport' };
      return { count: 1, waiting: covered ? `covered by ${describe(covered)}` : 'not receiving pointer events' };
    }
    case 'fill': {
      const unfit = notTextField(el);
      if (unfit) return { count: 1, unfit };
      if (!isVisible(el)) return { count: 1, waiting: 'not visible' };
      if (!isEnabled(el)) return { count: 1, waiting: 'disabled' };
      if (el.readOnly) return { count: 1, waiting: 'read-only' };
      el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
      el.focus();
      // The focused element inside shadow roots (the page's own answer is the host).
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      const focused = el.isContentEditable ? containsComposed(el, active) : active === el;
      if (!focused) return { count: 1, waiting: 'not taking focus' };
      // Clear = select everything (the text typed next replaces it); append = caret at the end.
      if (el.isContentEditable) {
        const range = document.createRange();
        range.selectNodeContents(el);
        if (!arg) range.collapse(false);
        const selection = getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      } else if (arg) {
        el.select();
      } else {
        try { el.setSelectionRange(el.value.length, el.value.length); } catch (_) {}
      }
      return { count: 1, ready: true, password: el instanceof HTMLInputElement && el.type === 'password' };
    }
    default:
      return { count: 1 };
  }
}
