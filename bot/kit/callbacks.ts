// Compact callback data (≤ 64 bytes): a verb, ids and the expected version of the object.
//
//   cb("hd.sign", [appId], 3)      → "hd.sign:~<22 chars>@3"   (UUIDs are packed to 22 base64url chars)
//   parseCb("hd.sign:~…@3")         → { verb: "hd.sign", ids: [appId], version: 3 }
//   composer.callbackQuery(cbPattern("hd.sign"), (ctx) => { const d = cbData(ctx); … })
//
// Callback data are only a hint: every handler re-reads the object and re-checks the role and the version.
import type { Context } from "grammy";

export const MAX_CALLBACK_BYTES = 64;

export interface CallbackData {
  verb: string;
  ids: string[];
  /** The version of the object the button was drawn for (optimistic lock). */
  version?: number;
}

const VERB_RE = /^[a-z][a-z0-9_.]{0,15}$/;
const PLAIN_ID_RE = /^[A-Za-z0-9_.-]{1,40}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function packUuid(u: string): string {
  return `~${Buffer.from(u.replace(/-/g, ""), "hex").toString("base64url")}`;
}

function unpackUuid(s: string): string | null {
  const buf = Buffer.from(s.slice(1), "base64url");
  if (buf.length !== 16) return null;
  const h = buf.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Encode a button's data. Throws when the verb/ids are malformed or the result exceeds 64 bytes. */
export function cb(verb: string, ids: readonly (string | number)[] = [], version?: number): string {
  if (!VERB_RE.test(verb)) throw new Error(`callback verb "${verb}" must match ${VERB_RE}`);
  const parts = [verb];
  for (const raw of ids) {
    const id = String(raw);
    if (UUID_RE.test(id)) parts.push(packUuid(id.toLowerCase()));
    else if (PLAIN_ID_RE.test(id)) parts.push(id);
    else throw new Error(`callback id "${id}" is neither a UUID nor [A-Za-z0-9_.-]{1,40}`);
  }
  let out = parts.join(":");
  if (version !== undefined) {
    if (!Number.isInteger(version) || version < 0)
      throw new Error(`callback version ${version} is not an integer`);
    out += `@${version}`;
  }
  if (Buffer.byteLength(out, "utf8") > MAX_CALLBACK_BYTES)
    throw new Error(`callback data over 64 bytes: ${out}`);
  return out;
}

/** Decode; null for anything that is not well-formed (forged or foreign data). */
export function parseCb(data: string | undefined): CallbackData | null {
  if (!data || Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES) return null;
  const at = data.lastIndexOf("@");
  let body = data;
  let version: number | undefined;
  if (at >= 0) {
    const v = data.slice(at + 1);
    if (!/^\d{1,9}$/.test(v)) return null;
    version = Number(v);
    body = data.slice(0, at);
  }
  const [verb, ...rest] = body.split(":");
  if (!verb || !VERB_RE.test(verb)) return null;
  const ids: string[] = [];
  for (const p of rest) {
    if (p.startsWith("~")) {
      const u = unpackUuid(p);
      if (!u) return null;
      ids.push(u);
    } else if (PLAIN_ID_RE.test(p)) ids.push(p);
    else return null;
  }
  return version === undefined ? { verb, ids } : { verb, ids, version };
}

/** A RegExp matching callback data of exactly this verb (for `composer.callbackQuery`). */
export function cbPattern(verb: string): RegExp {
  return new RegExp(`^${verb.replace(/[.]/g, "\\.")}(?:[:@]|$)`);
}

/** The decoded data of the current callback query (null when absent or malformed). */
export function cbData(ctx: Context): CallbackData | null {
  return parseCb(ctx.callbackQuery?.data);
}

// ───────────── the registry of verbs ─────────────

/** The verbs a feature handles, and the prefixes it owns whole (e.g. "wz." for every wizard button). */
export interface VerbSet {
  owner: string;
  verbs: readonly string[];
  prefixes?: readonly string[];
}

/**
 * Refuse, at start-up, two features claiming one verb or one owning a prefix another's verb starts with:
 * a press must reach exactly one handler.
 */
export function assertDistinctVerbs(sets: readonly VerbSet[]): void {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const s of sets)
    for (const v of s.verbs) {
      if (!VERB_RE.test(v)) problems.push(`${s.owner}: "${v}" is not a valid verb`);
      const other = owner.get(v);
      if (other) problems.push(`"${v}" is claimed by ${other} and ${s.owner}`);
      owner.set(v, s.owner);
    }
  for (const s of sets)
    for (const p of s.prefixes ?? [])
      for (const t of sets) {
        for (const v of t.verbs)
          if (t !== s && v.startsWith(p)) problems.push(`${t.owner}: "${v}" lies in ${s.owner}'s "${p}"`);
        for (const q of t.prefixes ?? [])
          if (t !== s && (q.startsWith(p) || p.startsWith(q)))
            problems.push(`prefixes "${p}" (${s.owner}) and "${q}" (${t.owner}) overlap`);
      }
  if (problems.length) throw new Error(`callback verbs collide:\n${[...new Set(problems)].join("\n")}`);
}

/** Declare a feature's verbs once: the object is the feature's vocabulary and its registry entry. */
export const defineVerbs = <const T extends Record<string, string>>(verbs: T): T => verbs;
