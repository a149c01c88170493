// Activation step 4, "Nøkkel": make a key pair or import one. The private key
// goes to the OS keyring only; the page shows the public JWK to copy or
// download and register on the client in HelseID selvbetjening.

import { h, replace, say } from '../dom.js';
import { errorText, isQuiet } from './persontjenesten-common.js';

/** The step: the current key, generate, import; "Sjekk nå" goes on to the checks. */
export function keyStep(w) {
  const { ctx, t, message, values, busy } = w;
  const pt = ctx.api.persontjenesten;
  const hid = (w.status && w.status.helseid) || {};
  const keyBox = h('div', { id: 'key-box' });
  const next = h('button', { type: 'button', class: 'button button-primary', id: 'wizard-next', text: t('pt.checkNow'), disabled: !hid.keyId || Boolean(hid.keyError) });
  next.addEventListener('click', () => w.show('delegation'));

  function drawKeyBox(k) {
    if (!k || !k.keyId) {
      replace(keyBox, h('p', { class: 'muted', id: 'key-none', text: t('pt.key.none') }));
      next.disabled = true;
      return;
    }
    const jwkText = JSON.stringify(k.publicJwk || {}, null, 2);
    const pre = h('pre', { class: 'jwk', id: 'public-jwk', tabindex: '0', 'aria-label': t('pt.key.publicLabel') }, jwkText);
    const copy = h('button', { type: 'button', class: 'button', id: 'copy-jwk', text: t('pt.key.copy') });
    const download = h('button', { type: 'button', class: 'button', id: 'download-jwk', text: t('pt.key.download') });
    const copied = h('span', { class: 'hint', id: 'copy-result', role: 'status' });
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(jwkText);
        copied.textContent = t('pt.key.copied');
      } catch {
        // No clipboard permission: select the text so Ctrl+C works.
        const range = document.createRange();
        range.selectNodeContents(pre);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        pre.focus();
        copied.textContent = t('pt.key.copyManually');
      }
    });
    download.addEventListener('click', () => {
      const url = URL.createObjectURL(new Blob([jwkText + '\n'], { type: 'application/json' }));
      const a = h('a', { href: url, download: `resepsjon-helseid-${k.keyId}.json`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
    replace(
      keyBox,
      h('p', { id: 'key-id' }, t('pt.key.current', { id: k.keyId, alg: k.alg || '' })),
      h('p', { class: 'hint', text: t('pt.key.register', { clientId: values.clientId || '–' }) }),
      pre,
      h('div', { class: 'actions' }, copy, download, copied),
    );
    next.disabled = false;
  }
  drawKeyBox(hid.keyId && !hid.keyError ? hid : null);
  if (hid.keyError) say(message, 'error', t(`pt.key.error.${hid.keyError}`));

  const alg = h(
    'select',
    { id: 'w-alg', class: 'input input-narrow' },
    ['ES256', 'RS256'].map((a) => h('option', { value: a, selected: values.alg === a, text: t(`pt.key.alg.${a}`) })),
  );
  alg.addEventListener('change', () => {
    values.alg = alg.value;
  });
  const generate = h('button', { type: 'button', class: 'button button-primary', id: 'generate-key', text: t(hid.keyId ? 'pt.key.generateNew' : 'pt.key.generate') });
  generate.addEventListener('click', async () => {
    if (w.status && w.status.helseid && w.status.helseid.keyId) {
      const ok = await ctx.confirm({ id: 'replace-key-dialog', title: t('pt.key.replaceTitle'), text: t('pt.key.replaceText'), confirmLabel: t('pt.key.replaceConfirm'), cancelLabel: t('common.cancel'), danger: true });
      if (!ok) return;
    }
    await sendKey({ generate: { alg: values.alg } });
  });

  const importArea = h('textarea', { id: 'w-import', class: 'input mono', rows: '6', spellcheck: 'false', 'aria-describedby': 'w-import-hint' });
  importArea.value = values.importText;
  importArea.addEventListener('input', () => {
    values.importText = importArea.value;
  });
  const file = h('input', { type: 'file', id: 'w-import-file', accept: '.json,.jwk,.pem,.key,application/json' });
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    importArea.value = await f.text();
    values.importText = importArea.value;
  });
  const importButton = h('button', { type: 'button', class: 'button', id: 'import-key', text: t('pt.key.import') });
  importButton.addEventListener('click', () => {
    if (!values.importText.trim()) {
      say(message, 'error', t('pt.key.importEmpty'));
      importArea.focus();
      return;
    }
    sendKey({ import: { key: values.importText, alg: '' } });
  });

  async function sendKey(body) {
    const sig = busy.start(t(body.generate ? 'pt.key.generating' : 'pt.key.importing'));
    say(message, '', '');
    try {
      const k = await pt.key(body, sig);
      w.status = { ...w.status, helseid: { ...(w.status && w.status.helseid), keyId: k.keyId, alg: k.alg, publicJwk: k.publicJwk } };
      values.importText = '';
      importArea.value = '';
      drawKeyBox(k);
      say(message, 'info', t(body.generate ? 'pt.key.generated' : 'pt.key.imported'));
      document.getElementById('public-jwk')?.focus();
    } catch (err) {
      if (isQuiet(err)) return;
      say(message, 'error', errorText(t, err));
      message.focus();
    } finally {
      busy.stop();
    }
  }

  return h(
    'div',
    { class: 'card', id: 'wizard-key' },
    h('h2', { text: t('pt.step.key') }),
    h('p', { class: 'hint', text: t('pt.key.hint') }),
    keyBox,
    h(
      'div',
      { class: 'key-choices' },
      h('section', { class: 'key-choice', 'aria-labelledby': 'key-gen-title' }, h('h3', { id: 'key-gen-title', text: t('pt.key.genTitle') }), h('label', { class: 'label', htmlFor: 'w-alg', text: t('pt.key.algLabel') }), alg, h('div', { class: 'actions' }, generate)),
      h(
        'section',
        { class: 'key-choice', 'aria-labelledby': 'key-imp-title' },
        h('h3', { id: 'key-imp-title', text: t('pt.key.impTitle') }),
        h('label', { class: 'label', htmlFor: 'w-import', text: t('pt.key.importLabel') }),
        importArea,
        h('p', { class: 'hint', id: 'w-import-hint', text: t('pt.key.importHint') }),
        h('label', { class: 'label', htmlFor: 'w-import-file', text: t('pt.key.fileLabel') }),
        file,
        h('div', { class: 'actions' }, importButton),
      ),
    ),
    w.nav(next, w.back('helseid')),
  );
}
