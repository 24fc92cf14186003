/**
 * cdk-nag acknowledgements that name their finding by the resource itself. An IAM5 finding id
 * embeds the policy's resource as cdk-nag flattens it, so an id written out by hand holds only
 * for the environment it was written in: `<AWS::Region>` in-process, `eu-west-1` under the CLI
 * (which always sets CDK_DEFAULT_REGION). Flattening the same token here with cdk-nag's own
 * function gives the id the rule will compute, whatever the account, region and partition.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
// Not re-exported from cdk-nag's index; the package has no exports map, so the module is reachable.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

/** The IAM5 finding id cdk-nag reports for a wildcard resource of a policy under `scope`. */
export const wildcardResourceFinding = (scope: IConstruct, resource: string): string =>
  `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;

/** Acknowledges IAM5 for each wildcard resource, with one reason, on the policy's owner (a role). */
export const acknowledgeWildcardResources = (scope: IConstruct, resources: readonly string[], reason: string): void => {
  for (const resource of resources) {
    Validations.of(scope).acknowledge({ id: wildcardResourceFinding(scope, resource), reason });
  }
};
