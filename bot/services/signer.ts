// The Signer port (DECISIONS 14) and its default implementation.
//
// Default: "telegram-confirmation". The verified head of the organisation is shown the exact document and its
// SHA-256 and confirms it with an explicit button; the record keeps who, when, the hash and the method.
// THIS IS NOT A QUALIFIED ELECTRONIC DIGITAL SIGNATURE (ЭЦП / ЭЦҚ). A real EDS provider (NCALayer, eGov mobile, ...)
// can be plugged in behind the same interface: register it as `deps.services.signer`.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { OrgRole } from "../../domain/types.ts";

export type SignedDocumentKind = "CONSENT" | "APPLICATION" | "EXCLUSION_NOTICE";

export interface SignRequest {
  applicationId: string;
  document: SignedDocumentKind;
  /** SHA-256 (hex) of the exact bytes the signer was shown. */
  sha256: string;
  signerUserId: string;
  /** The user pressed the explicit confirmation button for this hash. */
  confirmed: boolean;
}

export interface SignatureRecord {
  applicationId: string;
  document: SignedDocumentKind;
  sha256: string;
  signerId: string;
  method: string;
  signedAt: Date;
}

export type SignResult = { ok: true; signature: SignatureRecord } | { ok: false; code: SignErrorCode };
export type SignErrorCode = "NOT_CONFIRMED" | "NOT_AUTHORISED" | "NOT_VERIFIED" | "BAD_HASH";

export interface Signer {
  /** Method name stored with the signature. */
  readonly method: string;
  /** Is this a qualified EDS? (The default is not.) */
  readonly qualified: boolean;
  /** Check the signer and produce the signature record (not yet stored: the transition stores it). */
  sign(req: SignRequest): Promise<SignResult>;
}

/** Who may sign which document in the application's organisation. */
const SIGNING_ROLES: Record<SignedDocumentKind, readonly OrgRole[]> = {
  CONSENT: ["HEAD", "HEAD_ATTORNEY"],
  APPLICATION: ["HEAD", "HEAD_ATTORNEY"],
  EXCLUSION_NOTICE: [],
};

export class TelegramConfirmationSigner implements Signer {
  readonly method = "telegram-confirmation";
  readonly qualified = false;
  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sign(req: SignRequest): Promise<SignResult> {
    if (!req.confirmed) return { ok: false, code: "NOT_CONFIRMED" };
    if (!/^[0-9a-f]{64}$/.test(req.sha256)) return { ok: false, code: "BAD_HASH" };
    const app = await this.prisma.application.findUnique({
      where: { id: req.applicationId },
      select: { orgId: true },
    });
    const user = await this.prisma.user.findUnique({
      where: { id: req.signerUserId },
      select: { fullName: true, orgRoles: { select: { orgId: true, role: true } } },
    });
    if (!app || !user) return { ok: false, code: "NOT_AUTHORISED" };
    if (req.document === "EXCLUSION_NOTICE") {
      const staff = await this.prisma.staffMembership.findFirst({
        where: { userId: req.signerUserId, role: "APPROVER" },
      });
      if (!staff) return { ok: false, code: "NOT_AUTHORISED" };
    } else {
      const roles = SIGNING_ROLES[req.document];
      if (!user.orgRoles.some((m) => m.orgId === app.orgId && roles.includes(m.role))) {
        return { ok: false, code: "NOT_AUTHORISED" };
      }
    }
    // "Verified": the person joined through a one-time invite and gave a full name.
    if (!user.fullName?.trim()) return { ok: false, code: "NOT_VERIFIED" };
    return {
      ok: true,
      signature: {
        applicationId: req.applicationId,
        document: req.document,
        sha256: req.sha256,
        signerId: req.signerUserId,
        method: this.method,
        signedAt: this.now(),
      },
    };
  }
}

/** The signer registered in deps.services (a provider) or the default. */
export function getSigner(deps: {
  prisma: PrismaClient;
  now: () => Date;
  services: Record<string, unknown>;
}): Signer {
  const s = deps.services.signer as Signer | undefined;
  return s ?? new TelegramConfirmationSigner(deps.prisma, deps.now);
}
