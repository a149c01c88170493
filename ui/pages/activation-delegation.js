// Activation step 5, "Delegering": does HelseID give this practice a token?
// Fails with wrong client id or key, no delegation in Altinn, or no answer.

import { checkStep } from './activation-check.js';

/** The step: runs the checks as soon as it is shown. */
export function delegationStep(w) {
  return checkStep(w, 'delegation');
}
