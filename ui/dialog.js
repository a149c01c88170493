// Modal dialogs with the native <dialog>: it traps focus, closes on Esc and
// gives focus back to where it was, without any library.

import { h, uniqueId } from './dom.js';

/**
 * A dialog shell that closes on Esc and removes itself; returns {dialog, close}.
 * The title's id is `${id}-title`, or a fresh one when id is empty.
 */
export function modal({ id, titleText, className = '' }, ...children) {
  const titleId = id ? `${id}-title` : uniqueId('dialog-title');
  const dialog = h(
    'dialog',
    { class: `dialog ${className}`.trim(), id, 'aria-modal': 'true', 'aria-labelledby': titleId },
    h('h2', { id: titleId, class: 'dialog-title', text: titleText }),
    children,
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close: () => dialog.close() };
}

/**
 * Asks a yes/no question. Resolves true only when the confirm button is used;
 * Esc, the cancel button and closing resolve false.
 * opts: {title, text, confirmLabel, cancelLabel, danger, id}
 */
export function confirmDialog(opts) {
  const textId = uniqueId('dialog-text');
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'button', autofocus: true, text: opts.cancelLabel });
    const confirm = h('button', {
      type: 'button',
      class: opts.danger ? 'button button-danger' : 'button button-primary',
      text: opts.confirmLabel,
      'data-action': 'confirm',
    });
    let answer = false;
    const { dialog, close } = modal(
      { id: opts.id, titleText: opts.title },
      h('p', { id: textId, text: opts.text }),
      h('div', { class: 'dialog-actions' }, confirm, cancel),
    );
    dialog.setAttribute('aria-describedby', textId);
    confirm.addEventListener('click', () => {
      answer = true;
      close();
    });
    cancel.addEventListener('click', close);
    dialog.addEventListener('close', () => resolve(answer));
  });
}
