// Resolves a locator's steps to elements and runs one operation on them. Called with
// (steps, op, arg) by runtime/src/locator/mod.rs on every use: nothing is cached in the page,
// so a re-rendered element is found again.
async (steps, op, arg) => {
  const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const textContentOf = (el) => norm(el.textContent);
  const renderedText = (el) => (el instanceof HTMLElement ? el.innerText : el.textContent) ?? '';
  const matchesText = (text, m) => m.exact ? norm(text) === norm(m.text)
    : norm(text).toLowerCase().includes(norm(m.text).toLowerCase());
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'TITLE']);

  const isVisible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    return getComputedStyle(el).visibility !== 'hidden';
  };
  const isEnabled = (el) => !(el.matches(':disabled') || el.closest('[aria-disabled=true]'));
  const isEditable = (el) => isEnabled(el) && !el.readOnly &&
    (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el.isContentEditable);

  const roleOf = (el) => {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0];
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') || '').toLowerCase();
    switch (tag) {
      case 'a': case 'area': return el.hasAttribute('href') ? 'link' : null;
      case 'button': return 'button';
      case 'input':
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        if (type === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
        if (['', 'text', 'email', 'tel', 'url'].includes(type))
          return el.hasAttribute('list') ? 'combobox' : 'textbox';
        return null;
      case 'textarea': return 'textbox';
      case 'select': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
      case 'option': return 'option';
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': return 'heading';
      case 'img': return el.getAttribute('alt') === '' ? 'presentation' : 'img';
      case 'ul': case 'ol': return 'list';
      case 'li': return 'listitem';
      case 'nav': return 'navigation';
      case 'main': return 'main';
      case 'header': return 'banner';
      case 'footer': return 'contentinfo';
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
  const accessibleName = (el) => {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) {
      return norm(labelledby.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    }
    const label = el.getAttribute('aria-label');
    if (label && norm(label)) return norm(label);
    if (el.labels && el.labels.length) return norm([...el.labels].map((l) => l.textContent).join(' '));
    if (el instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(el.type)) {
      return norm(el.value || (el.type === 'submit' ? 'Submit' : el.type === 'reset' ? 'Reset' : ''));
    }
    if (el.hasAttribute('alt')) return norm(el.getAttribute('alt'));
    if (NAME_FROM_CONTENT.has(roleOf(el))) return textContentOf(el);
    return norm(el.getAttribute('title') || el.getAttribute('placeholder') || '');
  };
  const isHiddenFromRoles = (el) => !!el.closest('[aria-hidden=true]') ||
    (el.checkVisibility ? !el.checkVisibility({ visibilityProperty: true }) : !isVisible(el));

  // Elements under `roots` (themselves excluded) that `keep` accepts, in document order.
  const within = (roots, keep) => {
    const found = new Set();
    for (const root of roots) {
      for (const el of root.querySelectorAll('*')) if (!SKIP.has(el.tagName) && keep(el)) found.add(el);
    }
    return inOrder(found);
  };
  const inOrder = (set) => [...set].sort((a, b) =>
    a === b ? 0 : a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  const css = (roots, selector) => {
    const found = new Set();
    for (const root of roots) for (const el of root.querySelectorAll(selector)) found.add(el);
    return inOrder(found);
  };

  let els = [document];
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
        const hit = (el) => matchesText(el.textContent, step.match);
        els = within(els, (el) => hit(el) && ![...el.children].some((c) => !SKIP.has(c.tagName) && hit(c)));
        break;
      }
      case 'test_id':
        els = css(els, step.attributes.map((a) => `[${a}="${CSS.escape(step.value)}"]`).join(','));
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
        els = els.filter((el) => matchesText(el.textContent, step.match) !== step.negate);
        break;
    }
  }

  if (op === 'count') return { count: els.length };
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    for (const c of [...el.classList].slice(0, 2)) d += `.${c}`;
    const t = textContentOf(el);
    if (t) d += ` "${t.length > 30 ? t.slice(0, 29) + '…' : t}"`;
    return d;
  };
  if (els.length > 1) return { count: els.length, many: els.slice(0, 3).map(describe) };
  const el = els[0];
  if (!el) return { count: 0 };

  switch (op) {
    case 'state': {
      const isPassword = el instanceof HTMLInputElement && el.type === 'password';
      const checkable = el instanceof HTMLInputElement && ['checkbox', 'radio'].includes(el.type);
      const ariaChecked = el.getAttribute('aria-checked');
      return {
        count: 1,
        visible: isVisible(el),
        enabled: isEnabled(el),
        checked: checkable ? el.checked : ariaChecked === null ? null : ariaChecked === 'true',
        text: renderedText(el),
        value: 'value' in el ? String(el.value) : null,
        password: isPassword,
        attribute: arg == null ? null : el.getAttribute(arg),
      };
    }
    case 'click': {
      if (!el.isConnected) return { count: 0 };
      if (!isVisible(el)) return { count: 1, waiting: 'not visible' };
      if (!isEnabled(el)) return { count: 1, waiting: 'disabled' };
      el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
      const before = el.getBoundingClientRect();
      // One animation frame apart (or 50 ms when frames are not being produced).
      await new Promise((done) => { requestAnimationFrame(() => done()); setTimeout(done, 50); });
      const r = el.getBoundingClientRect();
      if (r.x !== before.x || r.y !== before.y || r.width !== before.width || r.height !== before.height) {
        return { count: 1, waiting: 'moving (not stable)' };
      }
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const hit = document.elementFromPoint(x, y);
      if (hit && hit !== el && !el.contains(hit) && !(el.labels && [...el.labels].some((l) => l.contains(hit)))) {
        return { count: 1, waiting: `covered by ${describe(hit)}` };
      }
      return { count: 1, x, y };
    }
    case 'fill': {
      if (!isVisible(el)) return { count: 1, waiting: 'not visible' };
      if (!isEditable(el)) return { count: 1, waiting: isEnabled(el) ? 'not editable' : 'disabled' };
      el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
      el.focus();
      if (arg) {
        if (el.isContentEditable) {
          document.getSelection().selectAllChildren(el);
          document.execCommand('delete');
        } else {
          el.value = '';
          el.dispatchEvent(new Event('input', { bubbles: true }));
        }
      } else if ('value' in el && el.setSelectionRange) {
        try { el.setSelectionRange(el.value.length, el.value.length); } catch (_) {}
      }
      return { count: 1, ready: true };
    }
    default:
      return { count: 1 };
  }
}
