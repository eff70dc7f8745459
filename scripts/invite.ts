// Issue a one-time invite and print its deep link.
//
//   npm run invite -- --bin 100140001231 --role SUPPLIER,ORG_ADMIN [--name "Иванов Иван"] [--days 7]
//   npm run invite -- --bin 100140001231 --role HEAD
//   npm run invite -- --branch BR-ASTANA --role REVIEWER,CHECKER
//
// The bot's username comes from --bot, BOT_USERNAME, or getMe with BOT_TOKEN; without any of them (the local
// sandbox) it prints the code to send as `/start <code>` in the sandbox page.
// The database: DATABASE_URL, or — as `npm start` without configuration — the embedded database in PGLITE_DIR
// (default .data/pglite). That one can be open in one process only: stop the bot first (the sandbox page also
// lists the seeded demo invites under «+ Новый пользователь», which need no invite script at all).
import "dotenv/config";
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { isValidIinBin } from "../domain/iin.ts";
import { cleanFreeText } from "../domain/text.ts";
import { ORG_ROLES, type OrgRole, STAFF_ROLES, type StaffRole } from "../domain/types.ts";
import { embeddedHolder, lockEmbedded } from "../bot/runtime/storage.ts";
import { PrismaClient } from "../generated/prisma/client.ts";
import { createInvite, DEFAULT_INVITE_TTL_MS } from "../prisma/store/people.ts";

export interface InviteArgs {
  bin?: string;
  branch?: string;
  roles: string[];
  name?: string;
  days?: number;
  bot?: string;
}

const USAGE = `usage:
  npm run invite -- --bin <BIN> --role SUPPLIER,ORG_ADMIN|HEAD|HEAD_ATTORNEY [--name "Full Name"] [--days 7] [--bot <username>]
  npm run invite -- --branch <branch id> --role REVIEWER,CHECKER,APPROVER,MANAGER [--name ...] [--days 7]`;

export function parseInviteArgs(argv: string[]): InviteArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      bin: { type: "string" },
      branch: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      days: { type: "string" },
      bot: { type: "string" },
    },
    strict: true,
  });
  const roles = (values.role ?? "")
    .split(",")
    .map((r) => r.trim().toUpperCase())
    .filter(Boolean);
  if (!roles.length) throw new Error("--role is required");
  if (!values.bin === !values.branch) throw new Error("give exactly one of --bin or --branch");
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && !(days > 0 && days <= 90)) throw new Error("--days must be between 1 and 90");
  if (values.bin) {
    const bad = roles.filter((r) => !(ORG_ROLES as readonly string[]).includes(r));
    if (bad.length)
      throw new Error(`not organisation roles: ${bad.join(", ")} (use ${ORG_ROLES.join(", ")})`);
    if (!isValidIinBin(values.bin))
      throw new Error(`${values.bin} is not a valid BIN/IIN (12 digits, check digit)`);
  } else {
    const bad = roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r));
    if (bad.length)
      throw new Error(`not Fund staff roles: ${bad.join(", ")} (use ${STAFF_ROLES.join(", ")})`);
  }
  let name: string | undefined;
  if (values.name !== undefined) {
    // The one free-text rule (domain/text.ts): zero-width characters removed, bidi overrides and controls refused.
    const clean = cleanFreeText(values.name, "name");
    const problem = clean.errors[0]?.code;
    if (problem === "text_bidi_control")
      throw new Error(
        "--name contains right-to-left or other direction-override characters: type it plainly",
      );
    if (problem === "text_control_chars")
      throw new Error("--name contains control characters or line breaks");
    if (problem) throw new Error("--name must be 2 to 200 characters");
    name = clean.text;
  }
  return { bin: values.bin, branch: values.branch, roles, name, days, bot: values.bot };
}

export const deepLink = (botUsername: string, code: string) =>
  `https://t.me/${botUsername.replace(/^@/, "")}?start=${code}`;

async function botUsername(explicit?: string): Promise<string | null> {
  const name = explicit ?? process.env.BOT_USERNAME;
  if (name) return name;
  const token = process.env.BOT_TOKEN;
  if (!token) return null;
  const root = process.env.BOT_API_ROOT ?? "https://api.telegram.org";
  const res = await fetch(`${root}/bot${token}/getMe`);
  const body = (await res.json()) as { ok: boolean; result?: { username?: string } };
  if (!body.ok || !body.result?.username) throw new Error("getMe failed: check BOT_TOKEN");
  return body.result.username;
}

/** Create the invite; returns the code and the deep link. */
export async function issueInvite(
  prisma: PrismaClient,
  args: InviteArgs,
  username: string | null,
  now = new Date(),
) {
  let orgId: string | null = null;
  let branchId: string | null = null;
  if (args.bin) {
    const org = await prisma.organisation.findUnique({ where: { bin: args.bin }, select: { id: true } });
    if (!org) throw new Error(`no organisation with BIN ${args.bin} (seed it or add it first)`);
    orgId = org.id;
  } else if (args.branch) {
    const br = await prisma.branch.findUnique({ where: { id: args.branch }, select: { id: true } });
    if (!br) throw new Error(`no Fund branch ${args.branch}`);
    branchId = br.id;
  }
  const invite = await createInvite(prisma, {
    orgId,
    branchId,
    orgRoles: args.bin ? (args.roles as OrgRole[]) : [],
    staffRoles: args.branch ? (args.roles as StaffRole[]) : [],
    fullName: args.name ?? null,
    now,
    ttlMs: args.days ? args.days * 86400_000 : DEFAULT_INVITE_TTL_MS,
  });
  return {
    code: invite.code,
    expiresAt: invite.expiresAt,
    link: username ? deepLink(username, invite.code) : null,
  };
}

async function main() {
  let args: InviteArgs;
  try {
    args = parseInviteArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  let db: { prisma: PrismaClient; close(): Promise<void> };
  try {
    db = await openInviteDatabase(process.env);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  try {
    const username = await botUsername(args.bot);
    const r = await issueInvite(db.prisma, args, username);
    console.log(r.link ?? `/start ${r.code}`);
    if (!r.link)
      console.error(
        "no BOT_TOKEN / BOT_USERNAME / --bot: in the sandbox page, add a person and send the line above",
      );
    console.error(`one-time invite, valid until ${r.expiresAt.toISOString()}`);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

/**
 * DATABASE_URL, or the embedded database the bot uses without one (PGLITE_DIR, migrated and seeded as the bot
 * does; refused while another process has it open).
 */
export async function openInviteDatabase(
  env: NodeJS.ProcessEnv,
): Promise<{ prisma: PrismaClient; close(): Promise<void> }> {
  const url = env.DATABASE_URL;
  if (url) {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    return { prisma, close: () => prisma.$disconnect() };
  }
  const dir = env.PGLITE_DIR || ".data/pglite";
  const holder = embeddedHolder(dir);
  if (holder !== null)
    throw new Error(
      `the embedded database in ${dir} is open in the running bot (PID ${holder}): stop the bot (Ctrl+C), ` +
        "run `npm run invite` again, then `npm start` — or use a demo invite the sandbox page lists",
    );
  mkdirSync(dir, { recursive: true });
  const release = lockEmbedded(dir);
  try {
    const { createEmbeddedPrisma } = await import("../prisma/db.ts");
    const demo = !/^(false|0|no)$/i.test(env.DEMO_DATA ?? "");
    const db = await createEmbeddedPrisma(dir, { demo });
    return {
      prisma: db.prisma,
      close: async () => {
        try {
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
