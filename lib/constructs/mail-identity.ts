import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailIdentityProps {
  /** The domain case mail is sent from and replies are received at (MAIL-1, MAIL-2). */
  readonly mailDomain: string;
}

/**
 * The SES domain identity with Easy DKIM, so the deploy checklist has DNS records to publish
 * instead of console steps. SES verifies the domain once the DKIM CNAMEs resolve; until then
 * sending is refused, which the smoke test reports.
 */
export class MailIdentity extends Construct {
  public readonly identity: ses.EmailIdentity;

  public constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    this.identity = new ses.EmailIdentity(this, 'Domain', {
      identity: ses.Identity.domain(props.mailDomain),
      dkimSigning: true,
    });
  }
}
