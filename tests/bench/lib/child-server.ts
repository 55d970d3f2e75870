import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const serversDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'servers');

export type ChildServer = {
  url: string;
  port: number;
  pid: number;
  /** Asks the child something over IPC (servers that answer `{ id, ask }` messages). */
  ask<T>(ask: string): Promise<T>;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
};

type Reply = { id: number; ok: boolean; value?: unknown; error?: string };

/**
 * Starts `servers/<script>` in its own Node process (tsx loader) so that the load generator in
 * this process does not share an event loop with the server. The child prints one JSON line
 * `{"port": n}` on stdout once it listens; anything else it prints is passed through.
 */
export async function startChildServer(
  script: string,
  options: { env?: Record<string, string>; nodeArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<ChildServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', join(serversDir, script)],
    {
      cwd: serversDir,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${script}: no port within ${options.readyTimeoutMs ?? 120_000} ms`));
    }, options.readyTimeoutMs ?? 120_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const ready = /^\{"port":\d+/.test(line) ? (JSON.parse(line) as { port: number }) : null;
      if (ready) {
        clearTimeout(timer);
        done(ready.port);
      } else {
        console.log(`  [${script}] ${line}`);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`${script} exited with code ${code} before listening`));
    });
  });

  let nextId = 0;
  const pending = new Map<number, (reply: Reply) => void>();
  child.on('message', (message) => {
    const reply = message as Reply;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    ask: <T>(ask: string) =>
      new Promise<T>((done, fail) => {
        const id = ++nextId;
        pending.set(id, (reply) =>
          reply.ok ? done(reply.value as T) : fail(new Error(`${script}: ${reply.error}`)),
        );
        child.send({ id, ask });
      }),
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
