// Talking to a sandbox the way a bot does: raw Bot API calls that return Telegram's envelope.
import type { Sandbox } from "../../sandbox/server.ts";

export const TOKEN = "123456:TEST-sandbox-token-abcdefghijk";

export interface Envelope<T = unknown> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: Record<string, unknown>;
}

export async function call<T = Record<string, unknown>>(
  sandbox: Sandbox,
  method: string,
  params: Record<string, unknown> = {},
): Promise<Envelope<T> & { status: number }> {
  const res = await fetch(`${sandbox.url}/bot${TOKEN}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: res.status, ...((await res.json()) as Envelope<T>) };
}

export const PERSON = {
  id: 555001,
  first_name: "Тест",
  last_name: "Тестов",
  language_code: "ru",
  role: "test",
};
