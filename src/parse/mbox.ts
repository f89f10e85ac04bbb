// mbox files: messages separated by "From " lines (mboxo/mboxrd). Pure: works on bytes already read.

const FROM = Buffer.from('From ');

function isSeparator(buf: Buffer, at: number): boolean {
  // "From " at a line start, preceded by a blank line (or at the very start), followed by a sender word
  if (!buf.subarray(at, at + 5).equals(FROM)) return false;
  if (at === 0) return true;
  let p = at - 1; // the "\n" ending the previous line
  if (buf[p] !== 10) return false;
  p--;
  if (p >= 0 && buf[p] === 13) p--;
  return p < 0 || buf[p] === 10;
}

/** True when the bytes start with an mbox "From " separator line. */
export function looksLikeMbox(buf: Buffer): boolean {
  return buf.length > 5 && buf.subarray(0, 5).equals(FROM);
}

/**
 * Split an mbox into messages (each without its "From " line is not needed: parse() skips it). Lines
 * escaped as ">From " are unescaped. A buffer that is not an mbox comes back as one message.
 */
export function splitMbox(buf: Buffer): Buffer[] {
  if (!looksLikeMbox(buf)) return [buf];
  const starts: number[] = [0];
  let pos = 1;
  for (;;) {
    const at = buf.indexOf('\nFrom ', pos);
    if (at < 0) break;
    if (isSeparator(buf, at + 1)) starts.push(at + 1);
    pos = at + 1;
  }
  const out: Buffer[] = [];
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] ?? 0;
    const e = starts[i + 1] ?? buf.length;
    out.push(unescapeFrom(buf.subarray(s, e)));
  }
  return out;
}

function unescapeFrom(msg: Buffer): Buffer {
  if (msg.indexOf('\n>From ') < 0 && msg.indexOf('\n>>From ') < 0) return msg;
  const text = msg.toString('latin1').replace(/\n>(>*From )/g, '\n$1');
  return Buffer.from(text, 'latin1');
}
