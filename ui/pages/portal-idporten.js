// The ID-porten card on the «Pasientportal» page: where the practice sets up
// the patients' login with ID-porten — issuer, client id, level of
// assurance, the client's key (kept in the OS keyring; the public JWK is
// shown to register with ID-porten) and the redirect URI to register.

import { errorText as apiErrorText, ApiError, isAbort, SessionEndedError } from '../api.js';
import { h, messageBox, replace } from '../dom.js';

const nb = {
  'idp.title': 'ID-porten (pasientenes innlogging)',
  'idp.intro': 'Med ID-porten kan pasienter be om tilgang med bekreftet identitet (BankID, MinID og andre). Virksomheten registrerer en integrasjon hos Digdir og fyller inn verdiene her.',
  'idp.ready': 'Klar: pasientene ser «Logg inn med ID-porten» på innloggingssiden.',
  'idp.notReady': 'Ikke i bruk: fyll inn utsteder og klient-ID, og lag eller importer en nøkkel.',
  'idp.issuer': 'Utsteder (issuer)',
  'idp.issuerHint': 'ID-portens testmiljø: https://test.idporten.no · produksjon: https://idporten.no',
  'idp.clientId': 'Klient-ID',
  'idp.clientIdHint': 'Klient-ID-en integrasjonen fikk hos Digdir.',
  'idp.level': 'Minste sikkerhetsnivå',
  'idp.level.substantial': 'Betydelig (idporten-loa-substantial)',
  'idp.level.high': 'Høyt (idporten-loa-high)',
  'idp.askName': 'Be om navnet (scope «profile»)',
  'idp.askNameHint': 'Noen eID-er gir da navnet; ellers skriver pasienten det selv. Scopet må være registrert på integrasjonen.',
  'idp.save': 'Lagre ID-porten-innstillingene',
  'idp.saved': 'ID-porten-innstillingene er lagret.',
  'idp.redirect': 'Redirect URI å registrere',
  'idp.redirectNone': 'Pasientportalen har ingen adresse ennå: fyll inn portalens offentlige adresse i innstillingene under.',
  'idp.key': 'Klientnøkkel (private_key_jwt)',
  'idp.keyNone': 'Ingen nøkkel ennå.',
  'idp.keyCurrent': 'Nøkkel i bruk: {id} ({alg}). Registrer den offentlige nøkkelen under på integrasjonen.',
  'idp.keyProblem': 'Nøkkelen kan ikke leses fra nøkkelringen. Lås opp nøkkelringen, eller lag en ny nøkkel.',
  'idp.publicJwk': 'Offentlig nøkkel (JWK)',
  'idp.copy': 'Kopier nøkkelen',
  'idp.copied': 'Kopiert.',
  'idp.copyManually': 'Merket: trykk Ctrl+C for å kopiere.',
  'idp.generate': 'Lag nøkkel',
  'idp.generateNew': 'Lag ny nøkkel',
  'idp.generated': 'Ny nøkkel laget. Registrer den offentlige nøkkelen hos Digdir før pasientene logger inn.',
  'idp.importLabel': 'Eller importer en privat nøkkel (JWK eller PEM)',
  'idp.importHint': 'Nøkkelen lagres bare i operativsystemets nøkkelring.',
  'idp.import': 'Importer nøkkelen',
  'idp.imported': 'Nøkkelen er importert.',
  'idp.importEmpty': 'Lim inn en nøkkel først.',
  'idp.remove': 'Fjern nøkkelen',
  'idp.removed': 'Nøkkelen er fjernet. Pasientene kan ikke logge inn med ID-porten før det er en ny.',
  'idp.replaceTitle': 'Bytte nøkkel?',
  'idp.replaceText': 'Den gamle nøkkelen slettes. Innlogging med ID-porten virker ikke før den nye er registrert hos Digdir.',
  'idp.replaceConfirm': 'Bytt nøkkel',
  'idp.removeTitle': 'Fjerne nøkkelen?',
  'idp.removeText': 'Pasientene kan ikke logge inn med ID-porten før det er en ny nøkkel.',
  'idp.cancel': 'Avbryt',
  'idp.loading': 'Henter ID-porten-innstillingene …',
};

const en = {
  'idp.title': "ID-porten (the patients' login)",
  'idp.intro': 'With ID-porten, patients can ask for access with a verified identity (BankID, MinID and others). The practice registers an integration with Digdir and fills in the values here.',
  'idp.ready': 'Ready: patients see «Logg inn med ID-porten» on the login page.',
  'idp.notReady': 'Not in use: fill in the issuer and client id, and generate or import a key.',
  'idp.issuer': 'Issuer',
  'idp.issuerHint': "ID-porten's test environment: https://test.idporten.no · production: https://idporten.no",
  'idp.clientId': 'Client id',
  'idp.clientIdHint': 'The client id the integration got at Digdir.',
  'idp.level': 'Least level of assurance',
  'idp.level.substantial': 'Substantial (idporten-loa-substantial)',
  'idp.level.high': 'High (idporten-loa-high)',
  'idp.askName': 'Ask for the name (scope «profile»)',
  'idp.askNameHint': 'Some eIDs then give the name; otherwise the patient types it. The scope must be registered on the integration.',
  'idp.save': 'Save the ID-porten settings',
  'idp.saved': 'The ID-porten settings are saved.',
  'idp.redirect': 'Redirect URI to register',
  'idp.redirectNone': "The patient portal has no address yet: fill in the portal's public address in the settings below.",
  'idp.key': 'Client key (private_key_jwt)',
  'idp.keyNone': 'No key yet.',
  'idp.keyCurrent': 'Key in use: {id} ({alg}). Register the public key below on the integration.',
  'idp.keyProblem': 'The key cannot be read from the keyring. Unlock the keyring, or generate a new key.',
  'idp.publicJwk': 'Public key (JWK)',
  'idp.copy': 'Copy the key',
  'idp.copied': 'Copied.',
  'idp.copyManually': 'Selected: press Ctrl+C to copy.',
  'idp.generate': 'Generate a key',
  'idp.generateNew': 'Generate a new key',
  'idp.generated': 'New key generated. Register the public key with Digdir before patients log in.',
  'idp.importLabel': 'Or import a private key (JWK or PEM)',
  'idp.importHint': "The key is stored only in the operating system's keyring.",
  'idp.import': 'Import the key',
  'idp.imported': 'The key is imported.',
  'idp.importEmpty': 'Paste a key first.',
  'idp.remove': 'Remove the key',
  'idp.removed': 'The key is removed. Patients cannot log in with ID-porten until there is a new one.',
  'idp.replaceTitle': 'Replace the key?',
  'idp.replaceText': 'The old key is deleted. Login with ID-porten does not work until the new one is registered with Digdir.',
  'idp.replaceConfirm': 'Replace the key',
  'idp.removeTitle': 'Remove the key?',
  'idp.removeText': 'Patients cannot log in with ID-porten until there is a new key.',
  'idp.cancel': 'Cancel',
  'idp.loading': 'Loading the ID-porten settings …',
};

export const idportenMessages = { nb, en };

/** The card; it loads itself. */
export function idportenCard(ctx, signal) {
  const { api, i18n } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const errorText = (err) => apiErrorText(t, err);
  const message = h('div', { class: 'page-message', id: 'idp-message', tabindex: '-1' });
  const body = h('div', { 'aria-busy': 'true' }, h('p', { text: t('idp.loading') }));
  const card = h(
    'section',
    { class: 'card', id: 'portal-idporten', 'aria-labelledby': 'idp-title' },
    h('h2', { id: 'idp-title', text: t('idp.title') }),
    h('p', { class: 'hint', text: t('idp.intro') }),
    message,
    body,
  );

  function fail(err) {
    if (isAbort(err) || err instanceof SessionEndedError) return true;
    replace(message, messageBox('error', errorText(err)));
    message.focus();
    return false;
  }

  async function load() {
    try {
      draw(await api.call('GET', '/api/portal/idporten', { signal }));
    } catch (err) {
      fail(err);
    }
  }

  function draw(st) {
    body.removeAttribute('aria-busy');
    const inputs = {};
    const errors = {};
    const field = (name, label, control, hint) => {
      inputs[name] = control;
      errors[name] = h('p', { class: 'field-error', id: `idp-${name}-error`, hidden: true });
      control.setAttribute('aria-describedby', `idp-${name}-error${hint ? ` idp-${name}-hint` : ''}`);
      return h('div', { class: 'field' }, h('label', { htmlFor: control.id, class: 'label', text: label }), control, hint ? h('p', { class: 'hint', id: `idp-${name}-hint`, text: hint }) : null, errors[name]);
    };
    const issuer = h('input', { id: 'idp-issuer', class: 'input', type: 'url', value: st.issuer || '', autocomplete: 'off', spellcheck: 'false' });
    const clientId = h('input', { id: 'idp-clientId', class: 'input', type: 'text', value: st.clientId || '', autocomplete: 'off', spellcheck: 'false' });
    const level = h(
      'select',
      { id: 'idp-level', class: 'input' },
      ['idporten-loa-substantial', 'idporten-loa-high'].map((v) => h('option', { value: v, selected: st.level === v, text: t(v.endsWith('high') ? 'idp.level.high' : 'idp.level.substantial') })),
    );
    const askName = h('input', { type: 'checkbox', id: 'idp-askName', checked: Boolean(st.askName), 'aria-describedby': 'idp-askName-hint' });
    const status = h('div', { id: 'idp-status', dataset: { ready: String(Boolean(st.ready)) } }, messageBox(st.ready ? 'ok' : 'info', t(st.ready ? 'idp.ready' : 'idp.notReady')));

    const form = h(
      'form',
      { id: 'idp-form', novalidate: true, on: { submit: (e) => { e.preventDefault(); save(); } } },
      field('issuer', t('idp.issuer'), issuer, t('idp.issuerHint')),
      field('clientId', t('idp.clientId'), clientId, t('idp.clientIdHint')),
      field('level', t('idp.level'), level),
      h('div', { class: 'check-option' }, askName, h('label', { htmlFor: 'idp-askName', text: t('idp.askName') })),
      h('p', { class: 'hint', id: 'idp-askName-hint', text: t('idp.askNameHint') }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', id: 'idp-save', text: t('idp.save') })),
    );

    const redirect = st.redirectUri
      ? h('div', { class: 'field' }, h('p', { class: 'label', id: 'idp-redirect-label', text: t('idp.redirect') }), h('code', { id: 'idp-redirect', class: 'mono', 'aria-labelledby': 'idp-redirect-label', text: st.redirectUri }))
      : h('p', { class: 'hint', id: 'idp-redirect', text: t('idp.redirectNone') });

    replace(body, status, form, redirect, keySection(st));

    async function save() {
      for (const [name, p] of Object.entries(errors)) {
        p.hidden = true;
        inputs[name].setAttribute('aria-invalid', 'false');
      }
      const payload = { issuer: issuer.value.trim(), clientId: clientId.value.trim(), level: level.value, askName: askName.checked };
      try {
        const next = await api.call('PUT', '/api/portal/idporten', { body: payload, signal });
        draw(next);
        replace(message, messageBox('ok', t('idp.saved')));
        ctx.setStatus(t('idp.saved'));
      } catch (err) {
        if (fail(err)) return;
        if (err instanceof ApiError) {
          let first = null;
          for (const [name, msg] of Object.entries(err.fields || {})) {
            if (!errors[name]) continue;
            errors[name].textContent = msg;
            errors[name].hidden = false;
            inputs[name].setAttribute('aria-invalid', 'true');
            first = first || inputs[name];
          }
          if (first) first.focus();
        }
      }
    }
  }

  function keySection(st) {
    const parts = [h('h3', { id: 'idp-key-title', text: t('idp.key') })];
    if (st.keyProblem) parts.push(messageBox('error', t('idp.keyProblem')));
    if (st.publicJwk) {
      const jwkText = JSON.stringify(JSON.parse(st.publicJwk), null, 2);
      const pre = h('pre', { class: 'jwk', id: 'idp-public-jwk', tabindex: '0', 'aria-label': t('idp.publicJwk') }, jwkText);
      const copied = h('span', { class: 'hint', id: 'idp-copy-result', role: 'status' });
      const copy = h('button', {
        type: 'button', class: 'button', id: 'idp-copy', text: t('idp.copy'),
        on: {
          click: async () => {
            try {
              await navigator.clipboard.writeText(jwkText);
              copied.textContent = t('idp.copied');
            } catch {
              const range = document.createRange();
              range.selectNodeContents(pre);
              const sel = window.getSelection();
              sel.removeAllRanges();
              sel.addRange(range);
              pre.focus();
              copied.textContent = t('idp.copyManually');
            }
          },
        },
      });
      const remove = h('button', { type: 'button', class: 'button button-danger', id: 'idp-remove', text: t('idp.remove'), on: { click: () => removeKey() } });
      parts.push(h('p', { id: 'idp-key-id', text: t('idp.keyCurrent', { id: st.keyId, alg: st.keyAlg }) }), pre, h('div', { class: 'actions' }, copy, remove, copied));
    } else if (!st.keyProblem) {
      parts.push(h('p', { class: 'muted', id: 'idp-key-none', text: t('idp.keyNone') }));
    }
    const hasKey = Boolean(st.keyId);
    const generate = h('button', { type: 'button', class: 'button button-primary', id: 'idp-generate', text: t(hasKey ? 'idp.generateNew' : 'idp.generate'), on: { click: () => sendKey({ generate: true }, hasKey) } });
    const importArea = h('textarea', { id: 'idp-import', class: 'input mono', rows: '5', spellcheck: 'false', 'aria-describedby': 'idp-import-hint idp-key-error' });
    const keyError = h('p', { class: 'field-error', id: 'idp-key-error', hidden: true });
    const importButton = h('button', {
      type: 'button', class: 'button', id: 'idp-import-button', text: t('idp.import'),
      on: {
        click: () => {
          if (!importArea.value.trim()) {
            keyError.textContent = t('idp.importEmpty');
            keyError.hidden = false;
            importArea.focus();
            return;
          }
          sendKey({ import: importArea.value }, hasKey);
        },
      },
    });
    parts.push(
      h('div', { class: 'actions' }, generate),
      h('label', { class: 'label', htmlFor: 'idp-import', text: t('idp.importLabel') }),
      importArea,
      h('p', { class: 'hint', id: 'idp-import-hint', text: t('idp.importHint') }),
      keyError,
      h('div', { class: 'actions' }, importButton),
    );
    return h('section', { class: 'idp-key', 'aria-labelledby': 'idp-key-title' }, parts);

    async function sendKey(payload, replacing) {
      if (replacing) {
        const ok = await ctx.confirm({ id: 'idp-replace-dialog', title: t('idp.replaceTitle'), text: t('idp.replaceText'), confirmLabel: t('idp.replaceConfirm'), cancelLabel: t('idp.cancel'), danger: true });
        if (!ok) return;
      }
      try {
        const next = await api.call('POST', '/api/portal/idporten/key', { body: payload, signal });
        draw(next);
        const done = t(payload.generate ? 'idp.generated' : 'idp.imported');
        replace(message, messageBox('ok', done));
        ctx.setStatus(done);
        document.getElementById('idp-public-jwk')?.focus();
      } catch (err) {
        if (fail(err)) return;
        if (err instanceof ApiError && err.fields && err.fields.key) {
          keyError.textContent = err.fields.key;
          keyError.hidden = false;
          importArea.setAttribute('aria-invalid', 'true');
        }
      }
    }

    async function removeKey() {
      const ok = await ctx.confirm({ id: 'idp-remove-dialog', title: t('idp.removeTitle'), text: t('idp.removeText'), confirmLabel: t('idp.remove'), cancelLabel: t('idp.cancel'), danger: true });
      if (!ok) return;
      try {
        draw(await api.call('DELETE', '/api/portal/idporten/key', { signal }));
        replace(message, messageBox('ok', t('idp.removed')));
        ctx.setStatus(t('idp.removed'));
      } catch (err) {
        fail(err);
      }
    }
  }

  load();
  return card;
}
