/**
 * A function's configuration is its environment, which CDK sets per function from
 * lib/function-specs.ts. A port that needs a variable reads it when first used, never at load:
 * a function without that binding (GET /health has no table) must still serve what it can.
 */

/** A port was used in a function that was not given its configuration: a 500, and a loud log line. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** The value of `name`; throws, rather than defaulting, when this function was not given it. */
export const requiredEnv = (name: string, purpose: string): string => {
  const value = process.env[name];
  if (!value) throw new ConfigurationError(`${name} is not set: this function has no ${purpose} binding`);
  return value;
};
