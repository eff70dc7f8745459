// Everything a handler needs from the outside world, injected once by createBot.
import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { AppConfig } from "./config.ts";

export interface AppDeps {
  prisma: PrismaClient;
  config: AppConfig;
  logger: Logger;
  /** The clock (tests pass a fixed one). */
  now: () => Date;
  /** Extra services registered by features (file storage, licensing registry, signer, ...). */
  services: Record<string, unknown>;
}
