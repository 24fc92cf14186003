/**
 * The deployment stages, in their own module so that constructs and stacks can name the type
 * without importing lib/casework-app.ts, which imports them (an import cycle).
 */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export const parseStage = (value: unknown): Stage => {
  if (typeof value === 'string' && (STAGES as readonly string[]).includes(value)) return value as Stage;
  throw new Error(`Unknown stage ${JSON.stringify(value)}: use -c stage=${STAGES.join('|')}`);
};

/** The portal dev server: dev's default origin (and local mode's). */
export const DEV_PORTAL_ORIGIN = 'http://localhost:5173';

/** What differs between stages besides names (limits). */
export interface StageConfig {
  /** The HTTP API's default-stage throttle: every route together, requests per second and burst. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Browser origins CORS allows besides the portal origin (`-c portalOrigin`), e.g. a staging
   * portal; `-c corsOrigins=https://a.example,https://b.example` adds more at synth.
   */
  readonly corsOrigins: readonly string[];
}

export const STAGE_CONFIG: Record<Stage, StageConfig> = {
  dev: { throttle: { rateLimit: 100, burstLimit: 200 }, corsOrigins: [] },
  prod: { throttle: { rateLimit: 500, burstLimit: 1000 }, corsOrigins: [] },
};

/**
 * The CORS allowlist: the portal origin, the stage's configured origins and any given at synth,
 * each an origin (scheme://host[:port]); prod takes https only. Local mode answers preflight
 * with the same list (local/gateway.ts).
 */
export const corsOriginsFor = (stage: Stage, portalOrigin: string, extra: unknown = undefined): string[] => {
  const given =
    typeof extra === 'string'
      ? extra
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : [];
  if (extra !== undefined && typeof extra !== 'string') throw new Error(`corsOrigins must be a comma-separated list of origins`);
  const origins = [...new Set([portalOrigin, ...STAGE_CONFIG[stage].corsOrigins, ...given])];
  for (const o of origins) {
    if (!/^https?:\/\/[^/\s,*]+$/.test(o))
      throw new Error(`CORS origin must be scheme://host[:port], no path or wildcard: got ${JSON.stringify(o)}`);
    if (stage === 'prod' && !o.startsWith('https://'))
      throw new Error(`Stage prod allows https CORS origins only: got ${JSON.stringify(o)}`);
  }
  return origins;
};

/** The CORS policy beyond its origins, one definition for the HTTP API and local mode. */
export const CORS_POLICY = {
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
  exposeHeaders: ['etag', 'location', 'retry-after'],
  maxAgeSeconds: 3600,
} as const;
