// What the application layer is built from: the store and the ports of domain/ports.ts, wired with these
// types by the composition root (bot/main.ts, test/helpers, bench/).
import type { Clock, FileStore, LicensingRegistry, Signer } from "../domain/ports.ts";
import type { Store } from "../prisma/store/index.ts";

/** Log lines of the application layer (pino's shape; never personal data). */
export interface AppLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface AppPorts {
  store: Store;
  signer: Signer;
  registry: LicensingRegistry;
  files: FileStore;
  clock: Clock;
  /** New identifiers (UUIDs). */
  ids: () => string;
  logger: AppLogger;
}
