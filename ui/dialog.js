// Modal confirmation with the native <dialog>: it traps focus, closes on Esc
// and gives focus back to where it was, without any library.

import { h, uniqueId } from './dom.js';

/**
 * Asks a yes/no question. Resolves true only when the confirm button is used;
 * Esc, the cancel button and closing resolve false.
 * opts: {title, text, confirmLabel, cancelLabel, danger, id}
 */
export function confirmDialog(opts) {
  const titleId = uniqueId('dialog-title');
  const textId = uniqueId('dialog-text');
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'button', autofocus: true, text: opts.cancelLabel });
    const confirm = h('button', {
      type: 'button',
      class: opts.danger ? 'button button-danger' : 'button button-primary',
      text: opts.confirmLabel,
      'data-action': 'confirm',
    });
    const dialog = h(
      'dialog',
      {
        class: 'dialog',
        id: opts.id,
        'aria-modal': 'true',
        'aria-labelledby': titleId,
        'aria-describedby': textId,
      },
      h('h2', { id: titleId, class: 'dialog-title', text: opts.title }),
      h('p', { id: textId, text: opts.text }),
      h('div', { class: 'dialog-actions' }, confirm, cancel),
    );
    let answer = false;
    confirm.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
