// The contract every bounce decoder follows.
import type { Email } from './email.js';
import type { Decoded } from './types.js';

export interface Decoder {
  /** Lower-case name reported as `mta` ("postfix", "exim", "rfc3464"). */
  readonly name: string;
  /**
   * Read the message if it is in this decoder's format; return null when it is not. Pure (no I/O, no
   * state), linear in the input, and it must not throw (parse() guards it anyway and moves on).
   */
  decode(email: Email): Decoded | null;
}
