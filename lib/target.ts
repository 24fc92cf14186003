/**
 * Where a synth is meant to deploy: `-c target=aws` (the default) or `-c target=localstack`,
 * LocalStack's free edition (Community / the free plan). docs/localstack.md gives the coverage
 * table behind what the LocalStack target leaves out and why.
 */
export const TARGETS = ['aws', 'localstack'] as const;
export type Target = (typeof TARGETS)[number];

export const parseTarget = (value: unknown): Target => {
  if (value === undefined || value === null || value === '') return 'aws';
  if (typeof value === 'string' && (TARGETS as readonly string[]).includes(value)) return value as Target;
  throw new Error(`Unknown target ${JSON.stringify(value)}: use -c target=${TARGETS.join('|')}`);
};
