// What a Bot API method receives: the sandbox's state, the call's parameters and uploaded files, and the
// HTTP response (getUpdates watches it to end a long poll when the client goes away).
import type { ServerResponse } from "node:http";
import type { UploadedFile } from "../body.ts";
import type { SandboxState } from "../state.ts";

export interface Call {
  s: SandboxState;
  p: Record<string, unknown>;
  files: Map<string, UploadedFile>;
  res: ServerResponse;
}

export type Method = (c: Call) => unknown;
