/**
 * How big a command may be. Our commands are a few hundred bytes; a 3 MB one put a contract into failing
 * workflow tasks for 20 s (issue 28), so anything over the limit is refused before it reaches a contract,
 * and by the contract's validator before it is accepted into its history.
 */

/** 64 KiB: a hundred times the largest real command (a change with its components and a reason). */
export const MAX_COMMAND_BYTES = 64 * 1024;

/** UTF-8 bytes of a string, without an encoder (the workflow sandbox and the domain have none to rely on). */
function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4; // a surrogate pair: one 4-byte character
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * The JSON size of `value` in bytes when it is over `limit`, else null. The count stops as soon as it
 * passes the limit (a string longer than the limit is over without being read), so a huge input costs
 * no more than the limit to refuse. Close to JSON.stringify's length, never below it by more than escapes.
 */
export function sizeOver(value: unknown, limit = MAX_COMMAND_BYTES): number | null {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') total += v.length > limit ? v.length : utf8Bytes(v) + 2;
    else if (Array.isArray(v)) {
      total += 2 + v.length;
      if (total > limit) return total;
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      total += 2;
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (!Object.hasOwn(o, k)) continue;
        total += (k.length > limit ? k.length : utf8Bytes(k)) + 4;
        if (total > limit) return total;
        stack.push(o[k]);
      }
    } else total += String(v).length;
    if (total > limit) return total;
  }
  return null;
}
