import * as net from "net";

/**
 * One QMP command to a VM's monitor socket (QEMU's JSON machine protocol): negotiates
 * capabilities, sends the command and returns its answer.
 */
export function qmp(socketPath: string, execute: string, args?: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffer = "";
    let stage = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`QMP ${execute}: no answer within 10 s`));
    }, 10_000);
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on("data", (chunk) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const message = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
        buffer = buffer.slice(newline + 1);
        if ("event" in message) continue;
        if (stage === 0 && "QMP" in message) {
          stage = 1;
          socket.write(`${JSON.stringify({ execute: "qmp_capabilities" })}\n`);
        } else if (stage === 1 && "return" in message) {
          stage = 2;
          socket.write(`${JSON.stringify({ execute, ...(args ? { arguments: args } : {}) })}\n`);
        } else if (stage === 2) {
          clearTimeout(timer);
          socket.end();
          if ("error" in message)
            reject(new Error(`QMP ${execute}: ${JSON.stringify(message.error)}`));
          else resolve(message.return);
        }
      }
    });
  });
}
