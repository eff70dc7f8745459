// E-licences (seed 000 §1.1, SPEC §2, issue 14 «Licence fetch»): the organisation's licences («Все лицензии»,
// display filter `isDisplayable`), its requests («Запросы по лицензиям»), «Получить лицензии» for the own BIN and
// every linked BIN (OrganisationLink), one licence with its appendices and the appendix PDF. The registry is the
// LicensingRegistry port; its Russian values are shown in Kazakh to Kazakh readers (domain/registryValues.ts).
import { renderAppendix } from "../adapters/pdf/index.ts";
import type { RenderedDocument } from "../adapters/pdf/types.ts";
import { supplierAdminOrgs, type Memberships } from "../domain/access.ts";
import {
  canRequestFor,
  canStartLicenceRequest,
  isDisplayable,
  type LicenceData,
} from "../domain/licences.ts";
import type { StoredFileRef } from "../domain/ports.ts";
import { type RegistryField, registryValue } from "../domain/registryValues.ts";
import type { DomainError, LicenceRequestStatus } from "../domain/types.ts";
import type {
  LicenceDetail,
  LicenceListRow,
  LicenceOverview,
  LicenceRequestRow,
} from "../prisma/store/index.ts";
import type { ClassifierCache, Lang } from "./classifiers.ts";
import type { AppPorts } from "./ports.ts";

/** How many requests the tab «Запросы по лицензиям» lists. */
export const REQUESTS_SHOWN = 15;

export interface LicenceScreen {
  org: LicenceOverview["org"];
  /** «Все лицензии»: what passes the display filter. */
  shown: LicenceListRow[];
  /** Fetched but not shown (another activity, category, type or status). */
  hidden: number;
  latest: LicenceRequestRow | null;
}

/** What one BIN's request came to. */
export interface FetchResult {
  bin: string;
  status: LicenceRequestStatus;
  /** «Обработан» (false: «Ошибка обработки», to be retried). */
  ok: boolean;
  /** Licences the registry returned for the BIN, and how many of them «Все лицензии» shows. */
  received: number;
  shown: number;
}

export type StartOutcome =
  | { ok: true; requests: { id: string; bin: string }[] }
  | { ok: false; errors: DomainError[] };

export type FetchOutcome =
  | { ok: true; results: FetchResult[] }
  /** Nothing was started: the BIN is not the organisation's own or linked, or a request is still running. */
  | { ok: false; errors: DomainError[] };

export function licenceUseCases(ports: AppPorts, classifiers: ClassifierCache) {
  const store = ports.store.licences;
  const logged = new Set<string>();

  /** Process one request «В обработке»: ask the registry, then store its answer or the failure. */
  async function process(requestId: string, bin: string): Promise<FetchResult> {
    let licences: LicenceData[];
    try {
      licences = await ports.registry.fetchLicences(bin);
    } catch (e) {
      const error = e instanceof Error ? e.message : "registry error";
      await store.fail(requestId, error, ports.clock.now());
      ports.logger.warn({ requestId, err: error.slice(0, 200) }, "licence request failed");
      return { bin, status: "FAILED", ok: false, received: 0, shown: 0 };
    }
    try {
      // null: someone else completed the request meanwhile; the registry's answer is the same
      await store.complete(requestId, licences, ports.clock.now());
    } catch (e) {
      const error = e instanceof Error ? e.message : "store error";
      await store.fail(requestId, error, ports.clock.now());
      ports.logger.error({ requestId, err: error.slice(0, 200) }, "licence request could not be stored");
      return { bin, status: "FAILED", ok: false, received: 0, shown: 0 };
    }
    return {
      bin,
      status: "PROCESSED",
      ok: true,
      received: licences.length,
      shown: licences.filter(isDisplayable).length,
    };
  }

  /**
   * «Получить лицензии», first half (fast, one transaction): requests «В обработке» for `bins` (default: the own
   * BIN and every linked BIN) under the own/linked rule and «one running request per BIN». Nothing is started
   * when no BIN may be; the errors say why.
   */
  async function start(a: {
    orgId: string;
    userId: string | null;
    bins?: readonly string[];
  }): Promise<StartOutcome> {
    const now = ports.clock.now();
    const errors: DomainError[] = [];
    const started = await store.start({ orgId: a.orgId, requestedById: a.userId, now }, (facts) => {
      const owner = { bin: facts.bin, linkedBins: facts.linkedBins };
      const wanted = a.bins?.length ? a.bins : [facts.bin, ...facts.linkedBins];
      return wanted.filter((bin) => {
        const may = canRequestFor(bin, owner);
        if (!may.ok) {
          errors.push(...may.errors);
          return false;
        }
        const latest = facts.latest.find((r) => r.bin === bin) ?? null;
        const can = canStartLicenceRequest(latest, now);
        if (!can.ok) errors.push(...can.errors.map((e) => ({ ...e, params: { ...e.params, bin } })));
        return can.ok;
      });
    });
    if (!started) return { ok: false, errors: [{ code: "org_not_found" }] };
    if (!started.created.length)
      return { ok: false, errors: errors.length ? errors : [{ code: "request_in_progress" }] };
    return { ok: true, requests: started.created };
  }

  /** «Получить лицензии», second half (as slow as the registry): process the started requests in parallel. */
  const run = (requests: readonly { id: string; bin: string }[]): Promise<FetchResult[]> =>
    Promise.all(requests.map((r) => process(r.id, r.bin)));

  return {
    start,
    run,

    /** The organisation whose licences the user manages: «Поставщик» + «Администратор организации» (G1). */
    orgOf: (m: Memberships): string | null => supplierAdminOrgs(m)[0] ?? null,

    /** «Все лицензии» with the latest request, ONE statement. */
    async screen(orgId: string): Promise<LicenceScreen | null> {
      const o = await store.overview(orgId, 1);
      if (!o) return null;
      const shown = o.licences.filter(isDisplayable);
      return { org: o.org, shown, hidden: o.licences.length - shown.length, latest: o.requests[0] ?? null };
    },

    /** «Запросы по лицензиям»: the organisation's requests with their statuses and dates. */
    requests: (orgId: string) => store.requests(orgId, REQUESTS_SHOWN),

    /** Both halves: returns when every request has finished (the wizard's «fresh licences», DECISIONS 1). */
    async fetch(a: {
      orgId: string;
      userId: string | null;
      bins?: readonly string[];
    }): Promise<FetchOutcome> {
      const s = await start(a);
      return s.ok ? { ok: true, results: await run(s.requests) } : s;
    },

    /** One licence of the organisation with its appendices. */
    licence: (orgId: string, licenceId: string): Promise<LicenceDetail | null> =>
      store.licence(orgId, licenceId),

    /**
     * An appendix as a file: the registry's own file when it gave one (from the FileStore), else a PDF made from
     * the appendix's data with every name in the reader's language. Null when the appendix is not the
     * organisation's; `missing` when its stored file is gone (said plainly, never replaced silently).
     */
    async appendix(
      orgId: string,
      appendixId: string,
      lang: Lang,
    ): Promise<
      | { kind: "stored"; licence: LicenceDetail; number: string; ref: StoredFileRef; bytes: Buffer }
      | { kind: "generated"; licence: LicenceDetail; number: string; doc: RenderedDocument }
      | { kind: "missing"; licence: LicenceDetail; number: string }
      | null
    > {
      const l = await store.licenceOfAppendix(orgId, appendixId);
      const x = l?.appendices.find((y) => y.id === appendixId);
      if (!l || !x) return null;
      if (x.fileId) {
        const f = await ports.files.read(x.fileId);
        return f
          ? { kind: "stored", licence: l, number: x.number, ref: f.ref, bytes: f.bytes }
          : { kind: "missing", licence: l, number: x.number };
      }
      const [codes, subtypes] = await Promise.all([
        classifiers.bilingual("licenceCodes"),
        classifiers.bilingual("subtypes"),
      ]);
      const doc = await renderAppendix(
        {
          licenceNumber: l.number,
          number: x.number,
          activity: codes(l.activityCode),
          licenceSubtypes: x.licenceSubtypes.map(codes),
          careSubtypes: x.careSubtypes.map(subtypes),
          addresses: x.addresses,
          fetchedAt: l.fetchedAt,
        },
        lang,
      );
      return { kind: "generated", licence: l, number: x.number, doc };
    },

    /**
     * A registry value for a reader (the official Kazakh term for Kazakh readers); an unknown value is shown as
     * given and logged once per process (the table in domain/registryValues.ts needs it).
     */
    value(field: RegistryField, value: string, lang: Lang): string {
      const r = registryValue(field, value, lang);
      if (!r.known && !logged.has(`${field}|${value}`)) {
        logged.add(`${field}|${value}`);
        ports.logger.warn(
          { field, value: value.slice(0, 200) },
          "licensing registry value without a Kazakh term",
        );
      }
      return r.text;
    },
  };
}

export type LicenceUseCases = ReturnType<typeof licenceUseCases>;
