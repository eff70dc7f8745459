// The application layer: use cases, no grammY. The bot, the wizard, the prompts and the outbox ask it and show
// what it answers; it is the only importer of prisma/store. Built once by the composition root.
import { act, type ActOptions, type Command } from "./act.ts";
import { cardUseCases } from "./cards.ts";
import { createClassifierCache } from "./classifiers.ts";
import { dashboardUseCases } from "./dashboard.ts";
import { documentUseCases } from "./documents.ts";
import { headUseCases } from "./head.ts";
import { licenceUseCases } from "./licences.ts";
import { draftUseCases } from "./drafts.ts";
import { outboxUseCases } from "./outbox.ts";
import { peopleUseCases } from "./people.ts";
import type { AppPorts } from "./ports.ts";
import { registerUseCases } from "./register.ts";
import { staffUseCases } from "./staff.ts";
import { surveyUseCases } from "./survey.ts";
import { supplierUseCases } from "./supplier.ts";

export function createApp(ports: AppPorts) {
  const classifiers = createClassifierCache(ports.store);
  const licences = licenceUseCases(ports, classifiers);
  const staff = staffUseCases(ports, classifiers);
  const head = headUseCases(ports, classifiers);
  return {
    ports,
    clock: ports.clock,
    classifiers,
    /** THE entry for state changes. */
    act: (cmd: Command, opts?: ActOptions) => act(ports, cmd, opts),
    people: peopleUseCases(ports),
    documents: documentUseCases(ports, classifiers),
    staff,
    /** The whole card for whoever decides on it, and the files behind it. */
    cards: cardUseCases(ports, { staff: staff.open, head: head.open }),
    register: registerUseCases(ports, classifiers),
    /** The branch manager's picture, exports, deadlines and digests (issue 15). */
    dashboard: dashboardUseCases(ports, staff),
    drafts: draftUseCases(ports, classifiers, licences),
    outbox: outboxUseCases(ports),
    survey: surveyUseCases(ports, classifiers),
    head,
    supplier: supplierUseCases(ports),
    licences,
    /** Is the database reachable? (readiness) */
    ping: () => ports.store.ping(),
  };
}

export type App = ReturnType<typeof createApp>;
export type { Command, Outcome } from "./act.ts";
export type { AppPorts } from "./ports.ts";
export type { HeadView, M4Notice } from "./head.ts";
export type { CardFile, CardFileKind, CardFiles, CardReader } from "./cards.ts";
export type { FetchResult, LicenceScreen } from "./licences.ts";
export type { ListFilter, ListPage, SupplierView } from "./supplier.ts";
export type { RegisterPage } from "./register.ts";
/** The read models the views show (their shape is the store's; the bot names them through app/). */
export type {
  CardData,
  CardEvent,
  Cursor,
  DraftLicenceRow,
  LicenceDetail,
  LicenceRequestRow,
} from "../prisma/store/index.ts";
