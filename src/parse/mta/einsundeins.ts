// einsundeins: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const einsundeins: Decoder = { name: 'einsundeins', decode: () => null };
