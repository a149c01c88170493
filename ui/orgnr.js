// The organisation number (organisasjonsnummer) check, without the DOM, so it
// can be tested on its own.

/** True for a 9-digit organisation number with a valid mod-11 check digit. */
export function validOrgNumber(s) {
  if (!/^\d{9}$/.test(s)) return false;
  const w = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = w.reduce((acc, x, i) => acc + x * Number(s[i]), 0);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === Number(s[8]);
}

