/** The product catalogue the seeds name. Data, not conditions scattered through code. */
import type { Hosting } from './types';

export interface ProductLine {
  name: string;
  hosting: Hosting;
  offersChat: boolean;
  supportGroup: string;
}

export const PRODUCT_LINES: readonly ProductLine[] = [
  { name: 'Genesys Cloud CX', hosting: 'cloud', offersChat: true, supportGroup: 'Cloud CX Support' },
  { name: 'Multicloud CX', hosting: 'cloud', offersChat: false, supportGroup: 'Multicloud Support' },
  { name: 'Engage On-Premise', hosting: 'on_premises', offersChat: true, supportGroup: 'Engage Support' },
  { name: 'PureConnect Cloud', hosting: 'cloud', offersChat: false, supportGroup: 'PureConnect Support' },
  { name: 'PureConnect On-Premises', hosting: 'on_premises', offersChat: false, supportGroup: 'PureConnect Support' },
];

/**
 * CASE-1: admin cases are about accounts and access, not a product: whoever opens one (a
 * customer, staff, or an access request, ACC-6), it carries this line and goes to this group.
 */
export const ADMIN_CASE = { productLine: 'Account and access', supportGroup: 'Portal Administration' } as const;

export const productLine = (name: string): ProductLine | undefined => PRODUCT_LINES.find((p) => p.name === name);

/** Terms and Conditions in force (ACC-9). A new version requires a new acceptance. */
export const CURRENT_TERMS = {
  version: '2026-10-01',
  text:
    'Casework Terms and Conditions. Case data is confidential to your organisation and the vendor. ' +
    'You may act only for the organisations and combinations you were granted access to.',
} as const;
