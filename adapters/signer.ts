// The default Signer (DECISIONS 14): "telegram-confirmation". The verified person (joined through a one-time
// invite and gave a full name) is shown the exact document and its SHA-256 and confirms it with an explicit
// button; the record keeps who, when, the hash and the method.
// THIS IS NOT A QUALIFIED ELECTRONIC DIGITAL SIGNATURE (ЭЦП / ЭЦҚ). A real EDS provider (NCALayer, eGov mobile…)
// plugs in behind the same port (domain/ports.ts Signer). Who may sign what is decided by the transition table.
import {
  CONFIRMATION_SIGNATURE_METHOD,
  type Clock,
  type SignRequest,
  type SignResult,
  type Signer,
} from "../domain/ports.ts";

export class TelegramConfirmationSigner implements Signer {
  readonly method = CONFIRMATION_SIGNATURE_METHOD;
  readonly qualified = false;
  constructor(private readonly clock: Clock) {}

  async sign(req: SignRequest): Promise<SignResult> {
    if (!req.confirmed) return { ok: false, code: "sign_not_confirmed" };
    if (!/^[0-9a-f]{64}$/.test(req.sha256)) return { ok: false, code: "sign_bad_hash" };
    if (!req.signer.fullName?.trim()) return { ok: false, code: "sign_not_verified" };
    return { ok: true, signature: { method: this.method, sha256: req.sha256, signedAt: this.clock.now() } };
  }
}
