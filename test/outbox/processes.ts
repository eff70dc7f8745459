// Outbox workers as real child processes (test/outbox/fixtures/worker-process.ts), for the crash and the
// several-process tests.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no cleanup at all (leases, open requests). */
  kill(): void;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts a worker process and resolves once it polls. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/outbox/fixtures/worker-process.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`worker did not start:\n${out}`)), 30_000);
    child.stdout?.on("data", (d) => {
      out += String(d);
      if (out.includes("ready")) {
        clearTimeout(timer);
        ok();
      }
    });
    child.stderr?.on("data", (d) => {
      out += String(d);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`worker exited (${code}) before it was ready:\n${out}`));
    });
  });
  return {
    child,
    output: () => out,
    kill: () => {
      child.kill("SIGKILL");
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
