// Set-up of the staff tests: the shared steps of test/helpers/e2e.ts under the names these tests use, and the
// reviewer's / checker's / approver's presses.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { ApiCall, Harness, TestUser } from "../helpers/bot.ts";
import { deliverAll, newestButton, PEOPLE, packedUuid, pressNewest, userIdOf } from "../helpers/e2e.ts";

export {
  applicationUnderReview,
  FAST_OUTBOX,
  POLYCLINIC_BIN as ORG_BIN,
  PEOPLE as DEMO,
  packedUuid as packed,
  statusOf as status,
  step,
  userIdOf as userId,
} from "../helpers/e2e.ts";

/** Deliver every pending outbox row through the harness's fake Bot API. */
export const drain = (h: Harness): Promise<void> => deliverAll(h, "test", 50);

/** The newest button of this user whose callback data start with the verb. */
export function button(u: TestUser, h: Harness, verb: string): { data: string; messageId: number } {
  const b = newestButton(h, u, verb);
  if (!b) throw new Error(`no ${verb} button for ${u.id}`);
  return { data: b.data, messageId: b.messageId };
}

export function hasButton(u: TestUser, calls: ApiCall[], verb: string): boolean {
  return calls.some(
    (c) => Number(c.payload.chat_id) === u.id && u.buttons(c).some((x) => x.data?.startsWith(`${verb}:`)),
  );
}

/** Press the newest button of this verb the user has. */
export const pressVerb = (h: Harness, u: TestUser, verb: string) => pressNewest(h, u, verb);

/** Reviewer toggles the given checkers (by Telegram id) and sends. */
export async function sendToCheckers(
  h: Harness,
  prisma: PrismaClient,
  reviewer: TestUser,
  checkers: number[],
) {
  await pressVerb(h, reviewer, "fs.sc");
  for (const tg of checkers) {
    const id = await userIdOf(prisma, tg);
    const picker = reviewer.buttons().filter((b) => b.data?.startsWith("fs.tc:"));
    const b = picker.find((x) => x.data!.includes(packedUuid(id)));
    if (!b)
      throw new Error(
        `no toggle for ${tg}: last screen «${reviewer.texts().at(-1)?.slice(0, 300)}» ${JSON.stringify(reviewer.buttons().map((x) => x.data))} answers ${JSON.stringify(
          h.calls
            .filter((c) => c.method === "answerCallbackQuery")
            .slice(-2)
            .map((c) => c.payload.text),
        )}`,
      );
    await reviewer.press(b.data!);
  }
  await pressVerb(h, reviewer, "fs.go");
}

/** Drive an application from «На рассмотрении» to «Включен в БД» with the buttons. */
export async function includeWithButtons(h: Harness, prisma: PrismaClient, appId: string) {
  await drain(h);
  const reviewer = h.user(PEOPLE.reviewer);
  const checker = h.user(PEOPLE.checker);
  const approver = h.user(PEOPLE.approver);
  const app = await prisma.application.findUniqueOrThrow({ where: { id: appId } });
  const { cb } = await import("../../bot/kit/callbacks.ts");
  await reviewer.press(cb("fs.v", [appId]));
  await reviewer.press(cb("fs.in", [appId], app.version));
  await sendToCheckers(h, prisma, reviewer, [PEOPLE.checker]);
  await drain(h);
  await pressVerb(h, checker, "fs.cc");
  await drain(h);
  await pressVerb(h, approver, "fs.aa");
  await drain(h);
}

/** A second approver of the Astana branch (besides the demo one). */
export async function addAstanaApprover(prisma: PrismaClient, telegramId: number): Promise<void> {
  const u = await prisma.user.create({
    data: { telegramId: BigInt(telegramId), fullName: "Қайрат Сәрсенов", language: "ru" },
  });
  await prisma.staffMembership.create({ data: { userId: u.id, branchId: "BR-ASTANA", role: "APPROVER" } });
}
