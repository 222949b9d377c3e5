import type { ClientWatcher } from "./tcp-proxy.js";

/** Bytes of a message to pass over unread, however the stream splits them into chunks. */
class Skip {
  left = 0;

  /** Passes over what is left of it in `chunk` from `at`; returns where reading goes on. */
  over(chunk: Buffer, at: number): number {
    const taken = Math.min(this.left, chunk.length - at);
    this.left -= taken;
    return at + taken;
  }
}

/** Counts of what clients asked a service for, read at any time; `watchClient` goes to a TcpProxy. */
export interface WireCounter<T> {
  watchClient: () => ClientWatcher;
  counts(): T;
}

export interface PostgresCounts {
  /** Statements run: simple queries ('Q') and executions of a prepared portal ('E'). */
  statements: number;
  /** Times a client waited for the server: a simple query or a Sync ('S') closing an extended-protocol batch. */
  roundTrips: number;
}

// Requests sent before the StartupMessage, answered with one byte, after which the client starts over.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * Reads the frontend side of the Postgres wire protocol (v3): untyped messages until the
 * StartupMessage, then a type byte and a length per message. Message bodies are skipped, not kept.
 */
export function postgresCounter(): WireCounter<PostgresCounts> {
  const total = { statements: 0, roundTrips: 0 };
  const watchClient = (): ClientWatcher => {
    let startup = true;
    let header = Buffer.alloc(0);
    const body = new Skip();
    return (chunk) => {
      let at = 0;
      while (at < chunk.length) {
        if (body.left > 0) {
          at = body.over(chunk, at);
          continue;
        }
        const headerLength = startup ? 8 : 5;
        const needed = Math.min(headerLength - header.length, chunk.length - at);
        header = Buffer.concat([header, chunk.subarray(at, at + needed)]);
        at += needed;
        if (header.length < headerLength) break;
        if (startup) {
          const code = header.readInt32BE(4);
          startup = code === SSL_REQUEST || code === GSSENC_REQUEST;
          body.left = header.readInt32BE(0) - 8;
        } else {
          const type = String.fromCharCode(header[0]!);
          if (type === "Q" || type === "E") total.statements++;
          if (type === "Q" || type === "S") total.roundTrips++;
          body.left = header.readInt32BE(1) - 4;
        }
        header = Buffer.alloc(0);
      }
    };
  };
  return { watchClient, counts: () => ({ ...total }) };
}

/**
 * Counts the commands clients send in RESP: an array header (`*N`) and N bulk strings (`$len`
 * and len bytes) per command, pipelined or not; a line that is not an array is an inline command.
 */
export function redisCounter(): WireCounter<{ commands: number }> {
  const total = { commands: 0 };
  const watchClient = (): ClientWatcher => {
    let line = "";
    let elementsLeft = 0;
    const bulk = new Skip();
    return (chunk) => {
      let at = 0;
      while (at < chunk.length) {
        if (bulk.left > 0) {
          at = bulk.over(chunk, at);
          continue;
        }
        const newline = chunk.indexOf(0x0a, at);
        if (newline === -1) {
          line += chunk.toString("latin1", at);
          break;
        }
        line = (line + chunk.toString("latin1", at, newline)).replace(/\r$/, "");
        at = newline + 1;
        if (elementsLeft > 0) {
          bulk.left = Number(line.slice(1)) + 2; // "$len", then the bytes and their CRLF
          elementsLeft--;
        } else if (line.startsWith("*")) {
          elementsLeft = Number(line.slice(1));
          total.commands++;
        } else if (line !== "") {
          total.commands++;
        }
        line = "";
      }
    };
  };
  return { watchClient, counts: () => ({ ...total }) };
}
