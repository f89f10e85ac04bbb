// List-Unsubscribe (RFC 2369) and one-click List-Unsubscribe-Post (RFC 8058) headers. (Pure.)

export interface UnsubscribeConfig {
  /** URL template: {address} and {id} are replaced (URL-encoded) by the recipient and the send id. */
  url: string;
  /** Address unsubscribe requests can be mailed to. */
  mailto: string;
}

/** The headers for one recipient; none when neither a URL nor a mailto address is configured. */
export function unsubscribeHeaders(c: UnsubscribeConfig, recipient: string, sendId: string | undefined): Record<string, string> {
  const links: string[] = [];
  let oneClick = false;
  if (c.url) {
    const url = c.url.replace(/\{address\}/g, encodeURIComponent(recipient)).replace(/\{id\}/g, encodeURIComponent(sendId ?? ''));
    links.push(`<${url}>`);
    // RFC 8058: one-click only for an HTTPS URI (the POST is made by the receiver's mail system)
    oneClick = url.startsWith('https://');
  }
  if (c.mailto) links.push(`<mailto:${c.mailto}?subject=${encodeURIComponent(`unsubscribe ${recipient}`)}>`);
  if (links.length === 0) return {};
  return oneClick
    ? { 'List-Unsubscribe': links.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    : { 'List-Unsubscribe': links.join(', ') };
}
