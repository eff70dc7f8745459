// The runtime a newcomer and the image get: dependencies, Node versions, Prisma versions, .env.example, and
// `npm run invite` in the embedded default (no DATABASE_URL: the embedded database the bot uses).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedHolder, lockEmbedded, StartupError } from "../../bot/runtime/storage.ts";
import { checkDependencies, importsOf, packageOf } from "../../scripts/check-deps.ts";

const root = join(import.meta.dirname, "..", "..");
const read = (p: string) => readFileSync(join(root, p), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const tmp = mkdtempSync(join(tmpdir(), "fsms-runtime-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.pid && c.exitCode === null) process.kill(c.pid, "SIGTERM");
  rmSync(tmp, { recursive: true, force: true });
});

describe("dependencies", () => {
  it("every package the code imports is a direct dependency (production code: not a devDependency)", () => {
    expect(checkDependencies(root)).toEqual([]);
  });

  it("the check sees static, type-only, dynamic and side-effect imports, not relative paths or builtins", () => {
    const f = join(tmp, "sample.ts");
    writeFileSync(
      f,
      [
        'import { a } from "grammy";',
        'import type { B } from "@grammyjs/conversations/out/x.js";',
        'import "dotenv/config";',
        'const x = await import("@prisma/driver-adapter-utils");',
        'export { y } from "zod";',
        'import { z } from "./local.ts";',
        'import { readFile } from "node:fs";',
        'import path from "path";',
        ["// import { nope } from", '"left-pad";'].join(" "), // (split: this file is checked too)
      ].join("\n"),
    );
    expect(importsOf(f).sort()).toEqual(
      ["@grammyjs/conversations", "@prisma/driver-adapter-utils", "dotenv", "grammy", "zod"].sort(),
    );
    expect(packageOf("@scope/name/deep/path")).toBe("@scope/name");
  });

  it("a missing or dev-only dependency of production code is reported", () => {
    const fake = join(tmp, "fake");
    mkdirSync(join(fake, "bot"), { recursive: true });
    mkdirSync(join(fake, "test"), { recursive: true });
    writeFileSync(
      join(fake, "package.json"),
      JSON.stringify({ name: "x", dependencies: { grammy: "1" }, devDependencies: { vitest: "4" } }),
    );
    writeFileSync(join(fake, "bot", "a.ts"), 'import "grammy";\nimport "vitest";\nimport "left-pad";\n');
    writeFileSync(join(fake, "test", "a.test.ts"), 'import "vitest";\nimport "grammy";\nimport "chalk";\n');
    expect(checkDependencies(fake)).toEqual([
      "bot/a.ts: imports left-pad, which is not a direct dependency",
      "bot/a.ts: imports vitest, a devDependency (the production image does not have it)",
      "test/a.test.ts: imports chalk, which is not a direct dependency",
    ]);
  });

  it("Prisma's client, CLI and adapters are pinned to one exact version", () => {
    const prisma = {
      "@prisma/client": pkg.dependencies["@prisma/client"],
      "@prisma/adapter-pg": pkg.dependencies["@prisma/adapter-pg"],
      "@prisma/driver-adapter-utils": pkg.dependencies["@prisma/driver-adapter-utils"],
      prisma: pkg.devDependencies.prisma,
    };
    const versions = new Set(Object.values(prisma));
    expect(versions.size, JSON.stringify(prisma)).toBe(1);
    expect([...versions][0]).toMatch(/^\d+\.\d+\.\d+$/);
    // and the lock file installs exactly that
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { version: string }> };
    for (const name of Object.keys(prisma))
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe([...versions][0]);
  });
});

describe("Node versions", () => {
  it("the image runs a current LTS (22 or 24) while engines keeps Node 20.19 working", () => {
    expect(pkg.engines.node).toBe(">=20.19");
    const docker = read("Dockerfile");
    const version = docker.match(/^ARG NODE_VERSION=(\d+)$/m)?.[1];
    expect(["22", "24"]).toContain(version);
    const froms = [...docker.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    const image = ["node:$", "{NODE_VERSION}-slim"].join("");
    expect(froms).toEqual([image, image]);
    // the types stay at the lowest supported line, so nothing newer than Node 20.19 is used by accident
    expect(pkg.devDependencies["@types/node"]).toMatch(/^\^20\./);
  });
});

describe(".env.example", () => {
  it("lists and comments every variable bot/config.ts reads, and the invite script's BOT_USERNAME", () => {
    const keys = [...read("bot/config.ts").matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!);
    expect(keys).toEqual(expect.arrayContaining(["BOT_TOKEN", "DATABASE_URL", "FILES_BACKEND", "FILES_DIR"]));
    const lines = read(".env.example").split("\n");
    for (const key of [...keys, "BOT_USERNAME"]) {
      const at = lines.findIndex((l) => l.startsWith(`${key}=`));
      expect(at, `${key} in .env.example`).toBeGreaterThan(0);
      // a comment right above the variable or its group
      const above = lines.slice(0, at).reverse();
      const comment = above.find((l) => !/^[A-Z][A-Z0-9_]*=/.test(l));
      expect(comment?.startsWith("#"), `${key} is commented`).toBe(true);
    }
  });
});

describe("readiness while starting", () => {
  it("/readyz answers 503 until the storage is open (the page and /healthz are up meanwhile)", async () => {
    const { createServer } = await import("node:http");
    const { handleHealth } = await import("../../bot/runtime/http.ts");
    const { notStarted } = await import("../../bot/main.ts");
    const server = createServer((req, res) => void handleHealth(req, res, notStarted));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "unavailable", started: false });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      server.close();
    }
  });
});

describe("the embedded database: one process at a time", () => {
  it("a lock held by a live process is refused with a clear message; a stale one is taken over", () => {
    const dir = join(tmp, "pglite-lock");
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    children.push(child);
    writeFileSync(`${dir}.lock`, String(child.pid));
    expect(embeddedHolder(dir)).toBe(child.pid);
    expect(() => lockEmbedded(dir)).toThrow(StartupError);
    expect(() => lockEmbedded(dir)).toThrow(/open in another process \(PID \d+\)/);
    process.kill(child.pid!, "SIGKILL");
    spawnSync("sleep", ["0.2"]);
    writeFileSync(`${dir}.lock`, "999999999");
    expect(embeddedHolder(dir)).toBeNull();
    const release = lockEmbedded(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(() => readFileSync(`${dir}.lock`)).toThrow();
  });
});

describe("npm run invite in the embedded default", () => {
  const invite = (env: Record<string, string>) =>
    spawnSync("npx", ["tsx", "scripts/invite.ts", "--bin", "100140001231", "--role", "HEAD"], {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DOTENV_CONFIG_PATH: join(tmp, "no.env"),
        ...env,
      },
    });

  it("without DATABASE_URL opens (migrates, seeds) the embedded database and prints the sandbox command", () => {
    const dir = join(tmp, "pglite");
    const r = invite({ PGLITE_DIR: dir });
    expect(r.stderr).toContain("one-time invite, valid until");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\/start [A-Za-z0-9_-]{16}$/);
    // with a bot username: the deep link
    const r2 = invite({ PGLITE_DIR: dir, BOT_USERNAME: "fsms_demo_bot" });
    expect(r2.status).toBe(0);
    expect(r2.stdout.trim()).toMatch(/^https:\/\/t\.me\/fsms_demo_bot\?start=[A-Za-z0-9_-]{16}$/);
  }, 240_000);

  it("while the bot has the embedded database open: refused, saying what to do", () => {
    const dir = join(tmp, "pglite-busy");
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    children.push(child);
    writeFileSync(`${dir}.lock`, String(child.pid));
    const r = invite({ PGLITE_DIR: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`open in the running bot (PID ${child.pid})`);
    expect(r.stderr).toContain("stop the bot");
    process.kill(child.pid!, "SIGKILL");
  }, 60_000);
});
