// People: who is writing (the user, their roles and their chat state, one read per update), languages, names,
// invites.
import { cleanFreeText } from "../domain/text.ts";
import type { DomainError } from "../domain/types.ts";
import type { PersonContext, RedeemResult } from "../prisma/store/index.ts";
import type { AppPorts } from "./ports.ts";

export const INVITE_CODE = /^[A-Za-z0-9_-]{6,64}$/;

export function peopleUseCases(ports: AppPorts) {
  const store = ports.store.people;
  return {
    /** The person behind a Telegram account in a chat; created on first contact. ONE statement when known. */
    async context(
      telegramId: number,
      key: string,
      username: string | null,
    ): Promise<PersonContext & { created: boolean }> {
      const id = BigInt(telegramId);
      const found = await store.context(id, key);
      if (found) return { ...found, created: false };
      const user = await store.ensure(id, username);
      return { user, memberships: { org: [], staff: [] }, session: null, prompt: null, created: true };
    },
    memberships: (userId: string) => store.memberships(userId),
    setLanguage: (userId: string, lang: "kk" | "ru") => store.setLanguage(userId, lang),
    /** The full name by the one free-text rule; the errors otherwise. */
    async setFullName(
      userId: string,
      raw: string,
    ): Promise<{ ok: true; name: string } | { ok: false; errors: DomainError[] }> {
      const { text, errors } = cleanFreeText(raw, "name");
      const words = text.split(" ").filter(Boolean);
      if (!errors.length && (words.length < 2 || !/^[\p{L}][\p{L}\p{M}' .-]*$/u.test(text)))
        errors.push({ code: "name_invalid" });
      if (errors.length) return { ok: false, errors };
      await store.setFullName(userId, text);
      return { ok: true, name: text };
    },
    saveChatState: (key: string, userId: string | null, state: { session?: unknown; prompt?: unknown }) =>
      store.saveChatState(key, userId, state),
    async redeemInvite(code: string, userId: string): Promise<RedeemResult> {
      if (!INVITE_CODE.test(code)) return { ok: false, reason: "unknown" };
      return store.redeemInvite(code, userId, ports.clock.now());
    },
  };
}
