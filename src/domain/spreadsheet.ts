/**
 * Cells of a CSV export as a spreadsheet will read them. A cell beginning with `=`, `+`, `-`, `@`, a tab or a
 * CR is taken by Excel and LibreOffice for a formula (CSV injection): a customer named `=HYPERLINK(…)`
 * would become a live link in the accountant's sheet. Such a text cell is prefixed with `'`, which the
 * spreadsheet shows as text; numbers (amounts, negative ones included) stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
