/**
 * Builds the real app (lib/casework-app.ts) for infrastructure tests, without bundling: the
 * tests read templates, and esbuild-ing every handler would make them slow for nothing.
 */
import { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type CaseworkApp } from '../../lib/casework-app';

/**
 * The tests' context: no stack bundles its functions, and no construct records the stack trace of
 * its creation in the assembly's metadata (for debugging a synth; the templates are the same).
 * Under jest each trace goes through jest's source maps: they were about a sixth of this tier's CPU.
 */
export const SYNTH_CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
};

export interface Built extends CaseworkApp {
  dataTemplate: Template;
  appTemplate: Template;
}

export const build = (context: Record<string, unknown> = {}): Built => {
  const built = buildApp({ ...SYNTH_CONTEXT, ...context });
  return {
    ...built,
    dataTemplate: Template.fromStack(built.data),
    appTemplate: Template.fromStack(built.appStack),
  };
};

/** Prod refuses to synthesize without an explicit portal origin; the tests give it this one. */
export const PROD_PORTAL_ORIGIN = 'https://support.casework.example';
/** Prod has no default mail domain either. */
export const PROD_MAIL_DOMAIN = 'mail.casework.example';
/** The context prod needs besides the stage. */
export const PROD_CONTEXT = { portalOrigin: PROD_PORTAL_ORIGIN, mailDomain: PROD_MAIL_DOMAIN };

const cache = new Map<string, Built>();
/** One synth per stage per test file. */
export const built = (stage: 'dev' | 'prod' = 'dev'): Built => {
  if (!cache.has(stage)) cache.set(stage, build({ stage, ...(stage === 'prod' ? PROD_CONTEXT : {}) }));
  return cache.get(stage)!;
};

/** Logical id of an L1, or of an L2's underlying L1. */
export const logicalId = (construct: IConstruct): string => {
  const cfn = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!cfn || !CfnElement.isCfnElement(cfn)) throw new Error(`${construct.node.path} has no CloudFormation element`);
  return Stack.of(cfn).getLogicalId(cfn);
};

export type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; [k: string]: unknown }>;

export const resourcesOf = (template: Template, type: string): Resources => template.findResources(type) as Resources;
