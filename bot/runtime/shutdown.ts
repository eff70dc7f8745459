// Graceful shutdown: everything started registers how to stop it; SIGINT/SIGTERM (or a failed start)
// stops them in reverse order (updates first, then workers, then Redis and the database, the sandbox last).
// A second signal, or a stop that takes longer than the deadline, exits at once.
import type { Logger } from "pino";

export class Lifecycle {
  private readonly steps: { name: string; stop: () => Promise<unknown> | unknown }[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly deadlineMs = 25_000,
  ) {}

  /** Register a stop step; steps run last-registered first. */
  add(name: string, stop: () => Promise<unknown> | unknown): void {
    this.steps.push({ name, stop });
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Run every stop step once (later calls wait for the first). */
  stop(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info({ reason }, "stopping");
      for (const step of [...this.steps].reverse()) {
        const t0 = Date.now();
        try {
          await step.stop();
          this.logger.debug({ step: step.name, ms: Date.now() - t0 }, "stopped");
        } catch (e) {
          this.logger.warn(
            { step: step.name, err: e instanceof Error ? e.message : String(e) },
            "stop step failed",
          );
        }
      }
    })();
    return this.stopping;
  }

  /** SIGINT/SIGTERM → stop() then exit(0); a second signal or the deadline → exit(1). */
  installSignalHandlers(exit: (code: number) => void = (c) => process.exit(c)): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.stopping) {
        this.logger.warn({ signal }, "second signal: exiting now");
        exit(1);
        return;
      }
      const timer = setTimeout(() => {
        this.logger.error({ deadlineMs: this.deadlineMs }, "shutdown took too long: exiting");
        exit(1);
      }, this.deadlineMs);
      timer.unref();
      void this.stop(signal).then(() => {
        clearTimeout(timer);
        this.logger.info("stopped");
        exit(0);
      });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
}
