/**
 * ACC-3: a contact's email must be an individual corporate address. The lists are data: add a
 * domain or an alias here, nowhere else.
 */
import { Problem } from '../kernel/errors';

export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'ymail.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'zoho.com',
  'qq.com',
  '163.com',
  'fastmail.com',
]);

export const ROLE_ALIASES: ReadonlySet<string> = new Set([
  'support',
  'admin',
  'administrator',
  'info',
  'noreply',
  'no-reply',
  'donotreply',
  'do-not-reply',
  'help',
  'helpdesk',
  'sales',
  'contact',
  'office',
  'team',
  'it',
  'postmaster',
  'hostmaster',
  'webmaster',
  'abuse',
  'root',
  'billing',
  'security',
  'hr',
  'marketing',
  'service',
]);

/** Why this address cannot be a contact's, or undefined when it can. */
export const corporateEmailIssue = (email: string): string | undefined => {
  const at = email.lastIndexOf('@');
  if (at <= 0) return 'is not an email address';
  const local = email.slice(0, at).toLowerCase().split('+')[0];
  const domain = email.slice(at + 1).toLowerCase();
  if (FREE_MAIL_DOMAINS.has(domain)) return `${domain} is a free-mail domain; use your corporate address`;
  if (ROLE_ALIASES.has(local)) return `${local}@ is a shared role address; use your individual address`;
  return undefined;
};

export const corporateEmailRequired = (email: string, issue: string): Problem =>
  new Problem(403, '/problems/corporate-email-required', 'Corporate email required', `${email}: ${issue} (ACC-3).`);
