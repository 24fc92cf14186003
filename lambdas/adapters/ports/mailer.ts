/** Binding `mailer` (MAIL-1): SES with nodemailer's composer. */
import { installPorts } from '../deps';
import { sesMailer } from '../ses-mailer';

installPorts({ mailer: () => sesMailer() });
