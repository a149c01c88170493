// Texts of the Persontjenesten screens, one table per language with the same
// keys.

export { en } from './persontjenesten-texts-en.js';
export { nb } from './persontjenesten-texts-nb.js';
