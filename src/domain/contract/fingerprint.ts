/**
 * What a command asked for, as a short fingerprint, so a request id reused with other content is refused
 * instead of answered with the first answer (honest idempotency). Pure (the workflow sandbox has
 * no crypto): cyrb53 over the command's canonical JSON, without its request id.
 */
/** JSON with keys sorted and undefined left out: equal content, equal text. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** cyrb53 (public domain, bryc): a fast 53-bit string hash, as 14 hex digits. */
function cyrb53(str: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

export function fingerprint(name: string, command: { requestId: string } & Record<string, unknown>): string {
  const { requestId: _requestId, ...content } = command;
  return cyrb53(`${name}:${canonical(content)}`);
}
