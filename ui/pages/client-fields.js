// The client's fields as the screens show them: groups, input kinds and the
// allowed values of the coded fields (named as in Persontjenesten's contract).

import { formatDate, formatDateTime, formatNin, formatPhone } from '../format.js';

export const GENDERS = ['Female', 'Male', 'Unknown'];

export const STATUSES = [
  'Resident',
  'Emigrated',
  'Disappeared',
  'Deceased',
  'Discontinued',
  'RegisteredAtBirth',
  'Temporary',
  'Inactive',
  'NotResident',
  'Active',
];

export const PROTECTIONS = ['None', 'Confidential', 'StrictlyConfidential', 'ClientAddress'];

/** Fields that form the address, hidden or refused under address protection. */
export const ADDRESS_FIELDS = ['streetAddress', 'postalCode', 'city', 'municipalityNumber', 'postalAddress'];

/**
 * The editable fields, grouped as on paper forms.
 * kind: text (default) | nin | date | select | textarea.
 */
export const GROUPS = [
  {
    key: 'person',
    fields: [
      { name: 'nin', kind: 'nin', inputmode: 'numeric' },
      { name: 'givenName', required: true },
      { name: 'middleName' },
      { name: 'familyName', required: true },
      { name: 'birthDate', kind: 'date' },
      { name: 'gender', kind: 'select', options: ['', ...GENDERS], labels: 'gender' },
      { name: 'status', kind: 'select', options: ['', ...STATUSES], labels: 'status' },
      { name: 'deathDate', kind: 'date' },
    ],
  },
  {
    key: 'address',
    fields: [
      { name: 'addressProtection', kind: 'select', options: PROTECTIONS, labels: 'protection' },
      { name: 'streetAddress', wide: true },
      { name: 'postalCode', inputmode: 'numeric' },
      { name: 'city' },
      { name: 'municipalityNumber', inputmode: 'numeric' },
      { name: 'postalAddress', wide: true },
    ],
  },
  {
    key: 'contact',
    fields: [
      { name: 'phone', type: 'tel' },
      { name: 'email', type: 'email' },
    ],
  },
  {
    key: 'notes',
    fields: [{ name: 'notes', kind: 'textarea', wide: true }],
  },
];

/** Fields the register or the server fills; shown, never edited. */
export const READ_ONLY = ['ninType', 'personId', 'fetchedAt', 'sequenceNumber', 'createdAt', 'updatedAt'];

/** Every editable field, in form order. */
export const EDITABLE = GROUPS.flatMap((g) => g.fields);

/** A field's value as text for reading (view, stored-value notes). */
export function displayValue(i18n, name, value) {
  if (value === null || value === undefined || value === '') return '';
  switch (name) {
    case 'nin':
      return formatNin(value);
    case 'phone':
      return formatPhone(value);
    case 'birthDate':
    case 'deathDate':
      return formatDate(value);
    case 'fetchedAt':
    case 'createdAt':
    case 'updatedAt':
      return formatDateTime(value);
    case 'gender':
      return codeLabel(i18n, 'gender', value);
    case 'status':
      return codeLabel(i18n, 'status', value);
    case 'addressProtection':
      return codeLabel(i18n, 'protection', value);
    case 'ninType':
      return codeLabel(i18n, 'ninType', value);
    default:
      return String(value);
  }
}

/** The label of a coded value; an unknown code is shown as it is, not hidden. */
export function codeLabel(i18n, group, value) {
  const key = `${group}.${value}`;
  const label = i18n.t(key);
  return label === key ? value : label;
}

/** True when the client is marked deceased. */
export function isDeceased(c) {
  return Boolean(c.deathDate) || c.status === 'Deceased';
}
