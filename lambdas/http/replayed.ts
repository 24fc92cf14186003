/** API.md: an answer replayed for a repeated Idempotency-Key says so. */
export const replayedHeader = (res: { replayed: boolean }): Record<string, string> =>
  res.replayed ? { 'idempotent-replayed': 'true' } : {};
