/** The body of every answer of the back office's HTTP API that is not a success: what a client reads. */
export interface ApiErrorBody {
  status: number;
  /** invalid-input, unauthenticated, forbidden, not-found, refused, same-amount, too-large, unavailable, internal */
  code: string;
  message: string;
  /** invalid-input: one `field: reason` per problem. */
  problems?: string[];
  /** refused: the article or decision that refuses it. */
  rule?: string | null;
  [more: string]: unknown;
}
