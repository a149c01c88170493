// Activation step 6, "Tilgang": does Persontjenesten answer this practice?
// Fails when access is not ordered from NHN or the terms are not accepted.

import { checkStep } from './activation-check.js';

/** The step: shows the access check of the last run, or runs the checks again. */
export function accessStep(w) {
  return checkStep(w, 'access');
}
