// Request bodies the Bot API accepts: query string, application/json, x-www-form-urlencoded and
// multipart/form-data (grammY uploads InputFile that way, with unquoted file names).
import type { IncomingMessage } from "node:http";

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface ParsedBody {
  params: Record<string, unknown>;
  files: Map<string, UploadedFile>;
}

export class BodyTooLargeError extends Error {}

export async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new BodyTooLargeError(`body over ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export async function parseBody(req: IncomingMessage, url: URL, limit: number): Promise<ParsedBody> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const files = new Map<string, UploadedFile>();
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (req.method === "GET" || req.method === "HEAD") return { params, files };
  const raw = await readRaw(req, limit);
  if (raw.length === 0) return { params, files };
  if (type.startsWith("application/json")) {
    const v = JSON.parse(raw.toString("utf8")) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) Object.assign(params, v);
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(raw.toString("utf8"))));
  } else if (type.startsWith("multipart/form-data")) {
    const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers["content-type"] ?? "");
    const boundary = m?.[1] ?? m?.[2];
    if (!boundary) throw new Error("multipart body without boundary");
    for (const part of splitMultipart(raw, boundary)) {
      if (part.filename !== undefined) {
        files.set(part.name, {
          field: part.name,
          filename: part.filename,
          contentType: part.contentType ?? "application/octet-stream",
          bytes: part.body,
        });
      } else params[part.name] = part.body.toString("utf8");
    }
  }
  return { params, files };
}

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  body: Buffer;
}

export function splitMultipart(raw: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = raw.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (raw[start] === 45 && raw[start + 1] === 45) break; // "--": the closing delimiter
    if (raw[start] === 13 && raw[start + 1] === 10) start += 2;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    let end = next;
    if (raw[end - 2] === 13 && raw[end - 1] === 10) end -= 2;
    const chunk = raw.subarray(start, end);
    const headerEnd = chunk.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = chunk.subarray(0, headerEnd).toString("utf8").split("\r\n");
      const body = chunk.subarray(headerEnd + 4);
      let name = "";
      let filename: string | undefined;
      let contentType: string | undefined;
      for (const h of headers) {
        const colon = h.indexOf(":");
        if (colon === -1) continue;
        const key = h.slice(0, colon).trim().toLowerCase();
        const value = h.slice(colon + 1).trim();
        if (key === "content-disposition") {
          name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? /\bname=([^;]*)/i.exec(value)?.[1]?.trim() ?? "";
          // grammY writes `filename=<raw name>` unquoted up to the end of the line
          const fq = /\bfilename="([^"]*)"/i.exec(value);
          const fu = /\bfilename=(.*)$/i.exec(value);
          if (fq) filename = fq[1];
          else if (fu) filename = fu[1]!.trim();
        } else if (key === "content-type") contentType = value;
      }
      if (name) parts.push({ name, filename, contentType, body: Buffer.from(body) });
    }
    pos = next;
  }
  return parts;
}
