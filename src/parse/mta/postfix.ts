// postfix: not decoded yet; every message falls through to the generic decoders.
import type { Decoder } from '../decoder.js';

export const postfix: Decoder = { name: 'postfix', decode: () => null };
