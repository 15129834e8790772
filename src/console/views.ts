/**
 * The console's pages as plain functions of their data (pages/*.ts, one module a page). Every value goes
 * through `html`'s escaping; the words come in Japanese or English (`t`).
 */
export { message, type Ctx, type Listed, type ListedContract, type Listing, type OneTime } from './pages/common';
export { password, signIn } from './pages/sign-in';
export { dashboard, search } from './pages/dashboard';
export { billingRun, billingRuns, progressText } from './pages/billing-runs';
export { contract, CONTRACT_PAGE_AUDIT_ROWS } from './pages/contract';
export { cancelQuote, confirmation, type Confirmation } from './pages/confirm';
export { people } from './pages/people';
export { closedOnly } from './pages/closed';
export { monthInvoices } from './pages/invoices';
export { aging, payments } from './pages/receivables';
export { customer } from './pages/customer';
