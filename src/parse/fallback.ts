// Last resort for bounces in no known format: not written yet.
import type { Decoder } from './decoder.js';

export const fallback: Decoder = { name: 'fallback', decode: () => null };
