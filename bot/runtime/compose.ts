// The composition root's one recipe: the store, the adapters and the application layer, wired with the types
// of domain/ports.ts. Used by bot/main.ts, the test harness and the benchmarks alike.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { createFileStore, diskBackend, postgresBackend } from "../../adapters/files/index.ts";
import { DbLicensingRegistry } from "../../adapters/registry.ts";
import { TelegramConfirmationSigner } from "../../adapters/signer.ts";
import { type App, createApp } from "../../app/index.ts";
import {
  type Clock,
  type FileStore,
  type LicensingRegistry,
  type Signer,
  systemClock,
} from "../../domain/ports.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { createStore } from "../../prisma/store/index.ts";
import type { AppConfig } from "../config.ts";

export interface ComposeOptions {
  prisma: PrismaClient;
  config: Pick<AppConfig, "FILES_DIR"> & Partial<Pick<AppConfig, "FILES_BACKEND">>;
  logger: Logger;
  clock?: Clock;
  /** Replace an adapter (tests: a failing registry, a recording signer…). */
  registry?: LicensingRegistry;
  signer?: Signer;
  files?: FileStore;
}

export function composeApp(o: ComposeOptions): App {
  const clock = o.clock ?? systemClock;
  return createApp({
    store: createStore(o.prisma),
    signer: o.signer ?? new TelegramConfirmationSigner(clock),
    registry: o.registry ?? new DbLicensingRegistry(o.prisma),
    files:
      o.files ??
      createFileStore(
        o.prisma,
        o.config.FILES_BACKEND === "postgres" ? postgresBackend(o.prisma) : diskBackend(o.config.FILES_DIR),
      ),
    clock,
    ids: randomUUID,
    logger: o.logger,
  });
}
