// exchange2003: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const exchange2003: Decoder = { name: 'exchange2003', decode: () => null };
