// totp.mjs — the RFC 6238 one-time code, computed independently of hamyar (node:crypto
// HMAC-SHA1, 30-second steps, 6 digits) so the TOTP tests check the server against the
// standard, not against itself.
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// RFC 4648 base32, padding and case ignored.
export function base32Decode(text) {
  const clean = text.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of clean) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${JSON.stringify(c)}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 4226 HOTP of counter, as a zero-padded string.
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export function totp(secretBase32, timeMs = Date.now(), step = 30, digits = 6) {
  return hotp(base32Decode(secretBase32), Math.floor(timeMs / 1000 / step), digits);
}

// A 6-digit code that is none of the codes within ±span steps of timeMs: a wrong code
// for certain, whatever drift the server allows.
export function wrongTotp(secretBase32, timeMs = Date.now(), span = 3) {
  const key = base32Decode(secretBase32);
  const step = Math.floor(timeMs / 30000);
  const near = new Set();
  for (let s = step - span; s <= step + span; s++) near.add(hotp(key, s));
  for (let n = 0; ; n++) {
    const code = String((123456 + n * 7919) % 1000000).padStart(6, '0');
    if (!near.has(code)) return code;
  }
}
