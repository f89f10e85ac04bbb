// Bounds on everything parse() reads from untrusted input. Each one names the attack it stops; exceeding one
// is reported in ParseResult.limits and the message is still read as far as the bound allows.

/** Largest message read; the rest is cut off. Stops memory exhaustion by a giant attachment or a junk stream. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Deepest MIME nesting followed; deeper parts are kept as opaque text. Stops recursion bombs (10,000-deep nesting). */
export const MAX_MIME_DEPTH = 16;

/** Most MIME parts read from one message. Stops a flood of empty parts from a repeated boundary. */
export const MAX_PARTS = 512;

/** Most header fields read from one header block. Stops header floods (a header repeated a million times). */
export const MAX_HEADER_COUNT = 1000;

/** Longest header field kept, after unfolding; the rest is cut. Stops a 5 MB header line from reaching the rules. */
export const MAX_HEADER_LENGTH = 16 * 1024;

/** Largest header block scanned; the remainder is treated as body. Stops an endless header section. */
export const MAX_HEADER_BLOCK = 512 * 1024;

/** Most readable text (report parts, DSN fields) given to decoders. Stops rules running over megabytes of prose. */
export const MAX_TEXT_CHARS = 1024 * 1024;

/** Longest line decoders see; longer lines are cut. Stops per-line rules going quadratic on 5 MB lines. */
export const MAX_LINE_CHARS = 8 * 1024;

/** How much of a returned original message is kept for its headers. Stops a huge attachment being scanned. */
export const MAX_ORIGINAL_CHARS = 128 * 1024;

/** Most recipients reported for one message. Stops a report listing millions of addresses. */
export const MAX_RECIPIENTS = 10_000;
