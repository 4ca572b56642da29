/**
 * Configuration from environment variables, validated once at start. A bad value fails loudly with a
 * message naming the setting; nothing here falls back silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

/** Labels per labeler per second when LABEL_RATE_LIMIT is not set (also for runtimes built without it, as in tests). */
export const DEFAULT_LABEL_RATE_LIMIT = 40;

export const configSchema = z.object({
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public URL the browser uses; defaults to http://localhost:PORT. */
  BASE_URL: z.url('must be a URL such as http://localhost:3000').optional(),
  /** PostgreSQL connection string for deployments that outgrow one machine (not yet wired: see README). */
  DATABASE_URL: z.string().optional(),
  /** Secret that signs session cookies; generated into DATA_DIR/auth-secret on first start when unset. */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_EMAIL: z.email('must be an email address').optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** How long a job worker holds a job before another may take it over (ms). */
  JOB_LEASE_MS: z.coerce.number().int().min(1000, 'must be at least 1000 ms').default(30_000),
  /** Start the in-process job worker thread with the web server. */
  WORKER: z.enum(['thread', 'off'], { error: "must be 'thread' or 'off'" }).default('thread'),
  /** Sign-in attempts allowed per client address per minute. */
  SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1, 'must be at least 1').default(10),
  /** Labels one labeler may submit per second (a person labels far fewer; a runaway script is stopped). */
  LABEL_RATE_LIMIT: z.coerce.number().int().min(1, 'must be at least 1').default(DEFAULT_LABEL_RATE_LIMIT),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string; baseUrl: string; authSecret: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and checks the configuration; throws ConfigError naming each bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
    const probe = path.join(dataDir, `.write-probe-${process.pid}`);
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe);
  } catch (e) {
    throw new ConfigError(`Invalid configuration:\n  DATA_DIR: ${dataDir} is not a writable directory (${(e as Error).message})`);
  }
  let authSecret = c.AUTH_SECRET;
  if (!authSecret) {
    const secretFile = path.join(dataDir, 'auth-secret');
    if (!fs.existsSync(secretFile)) {
      fs.writeFileSync(secretFile, cryptoRandomHex(32), { mode: 0o600, flag: 'wx' });
    }
    authSecret = fs.readFileSync(secretFile, 'utf8').trim();
  }
  return { ...c, dataDir, baseUrl: c.BASE_URL ?? `http://localhost:${c.PORT}`, authSecret };
}

function cryptoRandomHex(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}

let cached: Config | undefined;
/** The process-wide configuration (loaded once). */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
