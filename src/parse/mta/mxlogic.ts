// mxlogic: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const mxlogic: Decoder = { name: 'mxlogic', decode: () => null };
