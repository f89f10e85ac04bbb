// HTML to plain text for bounces that only come as HTML (Exchange/Office 365 NDRs, some webmail providers).
// A single linear pass: tags dropped, block ends become newlines, script/style skipped, common entities decoded.

const BLOCK_TAGS = new Set(['br', 'p', 'div', 'tr', 'li', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote', 'td', 'th']);
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
const ENTITY = /&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8}|#39);/gi;

export function htmlToText(html: string): string {
  const out: string[] = [];
  const n = html.length;
  const lowerHtml = html.toLowerCase();
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out.push(inline(html.slice(i)));
      break;
    }
    if (lt > i) out.push(inline(html.slice(i, lt)));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    let j = lt + 1;
    if (html.charCodeAt(j) === 47 /* / */) j++;
    let k = j;
    while (k < gt && /[a-zA-Z0-9]/.test(html.charAt(k))) k++;
    const tag = html.slice(j, k).toLowerCase();
    if ((tag === 'script' || tag === 'style') && j === lt + 1) {
      const close = lowerHtml.indexOf('</' + tag, gt);
      i = close < 0 ? n : html.indexOf('>', close) + 1 || n;
      continue;
    }
    if (BLOCK_TAGS.has(tag)) out.push(tag === 'td' || tag === 'th' ? ' ' : '\n');
    i = gt + 1;
  }
  return out
    .join('')
    .replace(ENTITY, (m, e: string) => {
      const lower = e.toLowerCase();
      if (lower.startsWith('#x')) return safeChar(parseInt(lower.slice(2), 16));
      if (lower.startsWith('#') && lower !== '#39') return safeChar(parseInt(lower.slice(1), 10));
      return ENTITIES[lower] ?? m;
    })
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line, idx, lines) => line !== '' || (idx > 0 && lines[idx - 1] !== ''))
    .join('\n');
}

/** Line breaks in HTML source are only spaces; blocks and <br> make the lines. */
function inline(text: string): string {
  return text.includes('\n') ? text.replace(/[ \t]*\n[ \t]*/g, ' ') : text;
}

function safeChar(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}
