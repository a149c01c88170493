// What a fødselsnummer or D-number says by itself: the birth date and the
// gender, read the way the register's own check does (the two mod-11 check
// digits, D-number day+40, H-number month+40, synthetic test numbers
// month+80, the century from the individual number). No DOM, so it can be
// tested on its own.

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function check(d, weights) {
  const sum = weights.reduce((acc, w, i) => acc + w * d[i], 0);
  const k = 11 - (sum % 11);
  if (k === 10) return -1;
  return k === 11 ? 0 : k;
}

function century(individual, yy) {
  if (individual <= 499) return 1900 + yy;
  if (individual <= 749 && yy >= 54) return 1800 + yy;
  if (individual >= 500 && yy <= 39) return 2000 + yy;
  if (individual >= 900 && yy >= 40) return 1900 + yy;
  return 0;
}

/**
 * Reads s (spaces allowed). Returns {ok, birthDate: "YYYY-MM-DD", gender:
 * "Male" | "Female"}; ok is false for anything that is not a valid number.
 */
export function ninFacts(s) {
  const digits = String(s ?? '').replace(/\s+/g, '');
  if (!/^\d{11}$/.test(digits)) return { ok: false, birthDate: '', gender: '' };
  const d = [...digits].map(Number);
  if (check(d, K1) !== d[9] || check(d, K2) !== d[10]) return { ok: false, birthDate: '', gender: '' };
  let day = d[0] * 10 + d[1];
  let month = d[2] * 10 + d[3];
  const yy = d[4] * 10 + d[5];
  const individual = d[6] * 100 + d[7] * 10 + d[8];
  const dnumber = day > 40;
  if (dnumber) day -= 40;
  if (month > 80) month -= 80;
  if (month > 40) {
    if (dnumber) return { ok: false, birthDate: '', gender: '' };
    month -= 40;
  }
  const year = century(individual, yy);
  if (!year || month < 1 || month > 12 || day < 1) return { ok: false, birthDate: '', gender: '' };
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return { ok: false, birthDate: '', gender: '' };
  const pad = (n) => String(n).padStart(2, '0');
  return { ok: true, birthDate: `${year}-${pad(month)}-${pad(day)}`, gender: d[8] % 2 === 1 ? 'Male' : 'Female' };
}
