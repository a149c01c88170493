// Small DOM helpers. Everything is built with createElement and textContent so
// that names typed by users can never turn into markup, and nothing needs
// inline script or style (the Content-Security-Policy forbids both).

/**
 * Creates an element.
 * attrs: "class", "text", "on" ({event: handler}), "dataset" ({key: value}),
 * DOM properties that must be set as properties (value, checked, disabled,
 * hidden, selected, htmlFor) and any other attribute by name. null, undefined
 * and false attribute values are skipped.
 * children: nodes, strings (as text), arrays of those, null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    switch (key) {
      case 'class':
        el.className = value;
        break;
      case 'text':
        el.textContent = value;
        break;
      case 'on':
        for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
        break;
      case 'dataset':
        Object.assign(el.dataset, value);
        break;
      case 'value':
      case 'checked':
      case 'disabled':
      case 'hidden':
      case 'selected':
      case 'htmlFor':
        el[key] = value;
        break;
      default:
        el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (nodes, strings, nested arrays; null and false skipped). */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all children of parent. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let idCounter = 0;

/** Returns an id that is unique within this page load, for aria wiring. */
export function uniqueId(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A message box: kind error | info | ok; extra nodes follow the text. */
export function messageBox(kind, text, ...extra) {
  return h('div', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('p', { text }), extra.flat().filter(Boolean));
}

/** Puts a message box into holder (or empties it when text is ""). */
export function say(holder, kind, text, ...extra) {
  if (!text) {
    replace(holder);
    return;
  }
  replace(holder, messageBox(kind, text, ...extra));
}
