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
